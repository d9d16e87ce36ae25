/**
 * The scripts that change one job that has not started, each one atomic state change that races
 * safely with workers: cancel-7.lua, set-priority-5.lua and promote-job-7.lua. Each returns the
 * state the job was in; undefined when it does not exist (or its state is text no script writes).
 */
import type { Priority } from "../options.js";
import type { RedisClient } from "../redis/connection.js";
import { priorityIndex, type QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { keyList } from "./key-lists.js";
import { parseJobState } from "./job-record.js";
import type { JobState } from "./job-record-schema.js";

/** One job of a queue (shard). */
export interface JobRef {
  readonly keys: QueueKeys;
  readonly id: string;
}

const CANCEL_KEYS = new WeakMap<QueueKeys, readonly string[]>();
const PROMOTE_KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** The state a script returns (false: no such job) as a JobState. */
function stateBefore(reply: unknown): JobState | undefined {
  return typeof reply === "string" ? parseJobState(reply, true) : undefined;
}

/**
 * Cancels a job that has not started (waiting, delayed, blocked): its record is kept `keepResultMs`;
 * a job in another state is left as it is.
 */
export async function cancelJob(client: RedisClient, job: JobRef & { readonly keepResultMs: number }): Promise<JobState | undefined> {
  const k = job.keys;
  const keys = keyList(CANCEL_KEYS, k, () => [k.delayed, k.events, ...k.wait]);
  return stateBefore(await runScript(client, "cancel", keys, [k.base, job.id, job.keepResultMs]));
}

/** Changes the priority of a waiting or delayed job (a waiting one moves to the back of its new list). */
export async function setJobPriority(client: RedisClient, job: JobRef & { readonly priority: Priority }): Promise<JobState | undefined> {
  const k = job.keys;
  return stateBefore(await runScript(client, "setPriority", k.wait, [k.base, job.id, priorityIndex(job.priority)]));
}

/** Runs a delayed job now: to the back of its wait list, its attempts kept. */
export async function promoteJob(client: RedisClient, job: JobRef): Promise<JobState | undefined> {
  const k = job.keys;
  const keys = keyList(PROMOTE_KEYS, k, () => [k.delayed, k.marker, ...k.wait]);
  return stateBefore(await runScript(client, "promoteJob", keys, [k.base, job.id]));
}
