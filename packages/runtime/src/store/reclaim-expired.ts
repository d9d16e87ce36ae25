/**
 * reclaim-expired-12.lua: takes back the jobs whose lease expired, each once, after an outage only
 * once live workers had a full lease to heartbeat again; trims expired completed jobs.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { keyList } from "./key-lists.js";

/** One pass over one queue (shard). */
export interface ReclaimInput {
  readonly keys: QueueKeys;
  /** Jobs taken back per call at most. */
  readonly limit: number;
  /** After an outage, how long live workers get to heartbeat again. */
  readonly graceMs: number;
}

/** What a pass did. */
export interface ReclaimReply {
  /** Jobs taken back. */
  taken: number;
  /** Ms until the next lease expires; -1 when none is held. */
  nextExpiryInMs: number;
}

const KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** One call: takes back at most `limit` expired leases. */
export async function reclaimExpired(client: RedisClient, input: ReclaimInput): Promise<ReclaimReply> {
  const k = input.keys;
  const keys = keyList(KEYS, k, () => [k.active, k.dead, k.marker, k.events, ...k.wait, k.clock, k.workers, k.leases]);
  const [taken, next] = (await runScript(client, "reclaimExpired", keys, [k.base, input.limit, input.graceMs])) as [number, number];
  return { taken: Number(taken), nextExpiryInMs: Number(next) };
}
