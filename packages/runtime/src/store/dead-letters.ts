/**
 * The dead-letter queue's scripts: retry-dead-7.lua (back to the wait lists with fresh attempts,
 * the error history kept) and purge-dead-1.lua (deleted for good). Ids the shard's dead-letter
 * queue does not hold are skipped.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { keyList } from "./key-lists.js";

/** Dead jobs of one queue (shard), by id. */
export interface DeadJobsInput {
  readonly keys: QueueKeys;
  readonly ids: readonly string[];
}

const RETRY_KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** Returns how many jobs moved. */
export async function retryDeadJobs(client: RedisClient, input: DeadJobsInput): Promise<number> {
  const k = input.keys;
  const keys = keyList(RETRY_KEYS, k, () => [k.dead, k.marker, ...k.wait]);
  return Number(await runScript(client, "retryDead", keys, [k.base, ...input.ids]));
}

/** Returns how many jobs were deleted. */
export async function purgeDeadJobs(client: RedisClient, input: DeadJobsInput): Promise<number> {
  const k = input.keys;
  return Number(await runScript(client, "purgeDead", [k.dead], [k.base, ...input.ids]));
}
