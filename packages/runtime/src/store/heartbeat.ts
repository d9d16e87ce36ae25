/**
 * heartbeat-4.lua: records a worker as alive on one queue and extends the leases it still holds.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { keyList } from "./key-lists.js";

/** One worker's heartbeat on one queue (shard). */
export interface HeartbeatInput {
  readonly keys: QueueKeys;
  readonly workerId: string;
  readonly leaseMs: number;
  /** The worker's info as JSON (its registry entry). */
  readonly info: string;
  /** The jobs it runs: id and lease token. */
  readonly leases: ReadonlyArray<readonly [id: string, token: string]>;
}

const KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** The ids whose lease the worker lost (reclaimed, perhaps running elsewhere): abort them. */
export async function heartbeat(client: RedisClient, input: HeartbeatInput): Promise<string[]> {
  const k = input.keys;
  const args: Array<string | number> = [k.base, input.workerId, input.leaseMs, input.info];
  for (const [id, token] of input.leases) args.push(id, token);
  return (await runScript(
    client,
    "heartbeat",
    keyList(KEYS, k, () => [k.workers, k.active, k.clock, k.leases]),
    args,
  )) as string[];
}
