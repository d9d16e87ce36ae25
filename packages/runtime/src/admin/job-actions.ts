/**
 * What an operator can do to one job, each through the runtime's scripts so it is one atomic state
 * change that races safely with workers: cancel a job that has not started, retry a dead job (fresh
 * attempts, through the dead-letter queue) or run a delayed one now, change a waiting job's priority.
 */
import { DeadLetterQueue } from "../client/dead-letter-queue.js";
import type { Priority } from "../options.js";
import type { RedisClient } from "../redis/connection.js";
import { cancelJob as cancel, promoteJob, readJobState, setJobPriority as setPriority, type JobState } from "../store/index.js";
import type { QueueRef } from "./queue-discovery.js";
import { locateJob } from "./locate-job.js";

/** States a job has before it first runs (`blocked`: waiting for the jobs it depends on). */
const NOT_STARTED = new Set<string>(["waiting", "delayed", "blocked"]);

/** What an action did: `changed` false means the job was in a state the action does not apply to. */
export interface ActionResult {
  /** Whether the action applied; false also when the job does not exist. */
  changed: boolean;
  /** The job's state before the action; undefined when the job does not exist. */
  stateBefore?: JobState;
}

/** Cancels a waiting or delayed job; its record is kept `keepResultMs`. */
export async function cancelJob(redis: RedisClient, queue: QueueRef, id: string, keepResultMs: number): Promise<ActionResult> {
  const k = await locateJob(redis, queue, id);
  const before = await cancel(redis, { keys: k, id, keepResultMs });
  return { changed: NOT_STARTED.has(before ?? ""), stateBefore: before };
}

/** A dead job goes back to its wait list with fresh attempts; a delayed job runs now. */
export async function retryJob(redis: RedisClient, queue: QueueRef, id: string): Promise<ActionResult> {
  const k = await locateJob(redis, queue, id);
  const state = await readJobState(redis, k, id);
  if (state === "dead") {
    const moved = await new DeadLetterQueue(redis, queue.name, queue.prefix, queue.shards).retry([id]);
    return { changed: moved === 1, stateBefore: state };
  }
  const before = await promoteJob(redis, { keys: k, id });
  return { changed: before === "delayed", stateBefore: before };
}

/** Moves a waiting job to another priority's list, or changes a delayed job's priority for when it comes due. */
export async function setJobPriority(redis: RedisClient, queue: QueueRef, id: string, priority: Priority): Promise<ActionResult> {
  const k = await locateJob(redis, queue, id);
  const before = await setPriority(redis, { keys: k, id, priority });
  return { changed: before === "waiting" || before === "delayed", stateBefore: before };
}
