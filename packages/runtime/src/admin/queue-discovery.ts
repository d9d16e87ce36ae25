/**
 * Finds the queues that exist in Redis, for operators who did not list them. A queue has no registry
 * of its own: it is the set of keys under `<prefix>:{<queue>}:`. We SCAN (never KEYS) for its
 * structural keys — `wait:*`, `delayed`, `active`, `dead`, `completed`, `seq`, `workers`, `clock`,
 * `marker` — with the pattern `*:{*}:[^jel]*`, which skips the per-job keys (`job:`, `errors:`,
 * `logs:`) that make up most of a busy keyspace. On Cluster every master is scanned. The shards of a
 * sharded queue (`{queue#i}`, see redis/shards.ts) are one queue, of as many shards as the highest
 * found.
 */
import { Cluster, type Redis } from "ioredis";
import type { RedisClient } from "../redis/connection.js";
import { parseShardTag, shardsOfTags } from "../redis/shards.js";

/** A queue as Redis keys name it. */
export interface QueueRef {
  /** The queue's name. */
  readonly name: string;
  /** Key prefix. (Default: `taskq`) */
  readonly prefix: string;
  /** Number of shards, each a key set of its own. (Default: 1) */
  readonly shards?: number;
}

const PATTERN = "*:{*}:[^jel]*";
const KEY = /^([A-Za-z0-9._-]{1,64}):\{([A-Za-z0-9._-]{1,64}(?:#[0-9.]{1,8})?)\}:/;

/** Every queue with at least one structural key, sorted by prefix then name; only `prefix` when given. */
export async function discoverQueues(redis: RedisClient, prefix?: string): Promise<QueueRef[]> {
  const nodes = redis instanceof Cluster ? await masters(redis) : [redis];
  const found = new Map<string, { prefix: string; name: string; tags: Map<string, number> }>();
  await Promise.all(
    nodes.map(async (node) => {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", PATTERN, "COUNT", 1000);
        cursor = next;
        for (const key of keys) {
          const match = KEY.exec(key);
          const tag = match && parseShardTag(match[2]);
          if (!match || !tag || (prefix !== undefined && match[1] !== prefix)) continue;
          const id = `${match[1]}\u0000${tag.queue}`;
          const queue = found.get(id) ?? { prefix: match[1], name: tag.queue, tags: new Map<string, number>() };
          queue.tags.set(match[2], tag.shard);
          found.set(id, queue);
        }
      } while (cursor !== "0");
    }),
  );
  return [...found.values()]
    .map(({ prefix: p, name, tags }): QueueRef => {
      const shards = shardsOfTags(
        name,
        [...tags].map(([tag, shard]) => ({ tag, shard })),
      );
      return { prefix: p, name, ...(shards > 1 ? { shards } : {}) };
    })
    .sort((a, b) => a.prefix.localeCompare(b.prefix) || a.name.localeCompare(b.name));
}

/** A Cluster client knows its masters only once it has read the slot map. */
async function masters(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== "ready") {
    await new Promise<void>((resolve, reject) => {
      cluster.once("ready", () => resolve());
      cluster.once("end", () => reject(new Error("the Redis Cluster connection closed before it was ready")));
    });
  }
  return cluster.nodes("master");
}
