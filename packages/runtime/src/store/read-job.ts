/**
 * Plain reads of job records, for the callers that need a few fields of one job: what the record
 * is named by, decoded by the schema (job-record.ts).
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { parseJobState } from "./job-record.js";
import type { JobState } from "./job-record-schema.js";
import { readJobFields } from "./pending-job.js";

/**
 * The state of job `id`; undefined when it does not exist (or expired) or its record holds a state
 * no script writes.
 */
export async function readJobState(client: RedisClient, keys: QueueKeys, id: string): Promise<JobState | undefined> {
  const [[state, name]] = await readJobFields(client, keys, [id], ["s", "n"]);
  return parseJobState(state, name !== null);
}

/** The job name of each id (null where its record is gone). */
export async function readJobNames(client: RedisClient, keys: QueueKeys, ids: readonly string[]): Promise<Array<string | null>> {
  return (await readJobFields(client, keys, ids, ["n"])).map(([name]) => name);
}

/** What a progress follower reads of job `id`: whether it exists, its state and its stored progress JSON. */
export interface StoredProgress {
  /** False when there is no such job (or its record expired). */
  readonly exists: boolean;
  /** Its state (undefined when it does not exist or holds a state no script writes). */
  readonly state: JobState | undefined;
  /** The latest `ctx.progress()` value as stored (JSON), null when none. */
  readonly progress: string | null;
}

/** Reads job `id`'s state and stored progress (`handle.progress()` after subscribing, and after a reconnect). */
export async function readJobProgress(client: RedisClient, keys: QueueKeys, id: string): Promise<StoredProgress> {
  const [[state, progress, name]] = await readJobFields(client, keys, [id], ["s", "pg", "n"]);
  const exists = state !== null || name !== null;
  return { exists, state: parseJobState(state, exists), progress };
}
