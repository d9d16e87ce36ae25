/**
 * What a running handler adds to its job's record besides its outcome: `ctx.progress()` (field
 * `pg`) and `ctx.log()` lines (the logs:<id> list, flagged by `lg` so readers know it exists). No
 * script is needed: each is one write that no other writer races with in a way that matters.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";

/** Lines a job's log keeps: the latest. */
const LOG_LINES = 1_000;

/** Records the handler's latest progress value, as JSON. */
export async function writeProgress(client: RedisClient, keys: QueueKeys, id: string, value: unknown): Promise<void> {
  await client.hset(keys.job(id), "pg", JSON.stringify(value ?? null));
}

/** Appends a timestamped line to the job's log, keeping the latest {@link LOG_LINES}. */
export async function appendLog(client: RedisClient, keys: QueueKeys, id: string, message: string): Promise<void> {
  const key = jobLogKey(keys, id);
  await client.multi().rpush(key, `${new Date().toISOString()} ${message}`).ltrim(key, -LOG_LINES, -1).hset(keys.job(id), "lg", 1).exec();
}

/** The list of a job's `ctx.log()` lines, oldest first. */
export function jobLogKey(keys: QueueKeys, id: string): string {
  return `${keys.base}logs:${id}`;
}
