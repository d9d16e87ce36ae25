/**
 * fail-11.lua: ends one attempt of a leased job that did not complete, fenced by its lease token:
 * `retry` after `delayMs`, `dead` (the dead-letter queue keeps it) or `release` (back to the queue,
 * the attempt not counted).
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { keyList } from "./key-lists.js";

/** One failed (or given back) attempt. */
export interface FailInput {
  readonly keys: QueueKeys;
  readonly id: string;
  readonly token: string;
  readonly mode: "retry" | "dead" | "release";
  /** The attempt's error as JSON; "" for none (a release). */
  readonly error: string;
  /** Wait before it runs again (retry, release); 0 for none. */
  readonly delayMs: number;
}

const KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** False when the lease was lost (the job was reclaimed): nothing was written. */
export async function failJob(client: RedisClient, input: FailInput): Promise<boolean> {
  const k = input.keys;
  const keys = keyList(KEYS, k, () => [k.active, k.delayed, k.dead, k.marker, k.events, ...k.wait, k.leases]);
  return (await runScript(client, "fail", keys, [k.base, input.id, input.token, input.mode, input.error, input.delayMs])) === 1;
}
