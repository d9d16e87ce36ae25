/**
 * watch-job-2.lua: reads a job's state and outcome for `result()` and, when asked, marks the record
 * watched (`wt`) in the same step, so the script that ends the job publishes its id.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { parseJobState } from "./job-record.js";
import type { JobState } from "./job-record-schema.js";

/** A job's state and, once it ended, its outcome. */
export interface WatchedJob {
  /** Undefined when the record holds a state no script writes. */
  state: JobState | undefined;
  /** The stored result JSON of a completed job. */
  result?: string;
  /** Every attempt's stored error, oldest first. */
  errors: string[];
}

/** Undefined when the job does not exist (or its record expired). */
export async function watchJob(
  client: RedisClient,
  job: { readonly keys: QueueKeys; readonly id: string; readonly watch: boolean },
): Promise<WatchedJob | undefined> {
  const { keys, id } = job;
  const reply = (await runScript(client, "watchJob", [keys.job(id), keys.errors(id)], [job.watch ? "1" : "0", keys.base, id])) as
    null | [string, string | null, ...string[]];
  if (!reply) return undefined;
  const [state, result, ...errors] = reply;
  return { state: parseJobState(state, true), ...(result === null ? {} : { result }), errors };
}
