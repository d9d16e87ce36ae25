/**
 * Starts the counter of shard i > 0 at i × SHARD_ID_SPAN, so the ids enqueue-8.lua counts out there
 * (`INCR seq`) carry their shard and never meet another shard's. `SET … NX` is idempotent and races
 * safely: whoever comes first seeds it, nobody ever lowers it.
 *
 * The invariant it keeps: a shard's counter is seeded before its first INCR. Both INCRs of `seq` (a
 * counted id at enqueue, a lease token at fetch) need a job on the shard, and every path that puts a
 * job on a shard (the client's enqueue, a schedule's firing) seeds first. A process seeds each
 * counter once per connection, the only cost a sharded enqueue adds; the counter, like an unsharded
 * queue's, must never be deleted while the queue holds jobs.
 */
import type { RedisClient } from "./connection.js";
import type { QueueKeys } from "./keys.js";
import { SHARD_ID_SPAN } from "./shards.js";

/** Per client: the counters seeded (or being seeded) since its connection last became ready. */
const seeded = new WeakMap<RedisClient, Map<string, Promise<unknown>>>();

export function seedShardSequence(redis: RedisClient, keys: QueueKeys, shard: number): Promise<unknown> | undefined {
  if (shard === 0) return undefined;
  let counters = seeded.get(redis);
  if (!counters) {
    const fresh = new Map<string, Promise<unknown>>();
    counters = fresh;
    seeded.set(redis, fresh);
    // After a reconnect Redis may be another server (a restart, a failover): seed again to be sure.
    redis.on("ready", () => fresh.clear());
  }
  let pending = counters.get(keys.seq);
  if (!pending) {
    const map = counters;
    pending = redis.set(keys.seq, shard * SHARD_ID_SPAN, "NX").catch((error: Error) => {
      map.delete(keys.seq);
      throw error;
    });
    map.set(keys.seq, pending);
  }
  return pending;
}
