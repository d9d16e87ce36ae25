/**
 * What a running handler adds to its job's record besides its outcome: `ctx.progress()` (field
 * `pg`, through progress-1.lua, which stores the value and publishes it to the job's followers in one
 * step) and `ctx.log()` lines (the logs:<id> list, flagged by `lg` so readers know it exists; one
 * write that no other writer races with in a way that matters, so no script).
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";

/** Lines a job's log keeps: the latest. */
const LOG_LINES = 1_000;

/** Records the handler's latest progress value, as JSON. */
export async function writeProgress(client: RedisClient, keys: QueueKeys, id: string, value: unknown): Promise<void> {
  // KEYS: the record; ARGV: base, id, the value as JSON.
  await runScript(client, "progress", [keys.job(id)], [keys.base, id, JSON.stringify(value ?? null)]);
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
