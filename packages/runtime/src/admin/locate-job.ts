/**
 * Which shard of a queue holds a job. Its id names the shard (see redis/shards.ts), and that is
 * where a job almost always is; a child placed by its parents, though, can sit elsewhere than its
 * explicit id hashes to, so an id not found there is looked for on the other shards.
 */
import type { RedisClient } from "../redis/connection.js";
import { queueKeys, shardKeys, type QueueKeys } from "../redis/keys.js";
import { shardOfId } from "../redis/shards.js";
import type { QueueRef } from "./queue-discovery.js";
import { jobExists } from "../store/index.js";

/** The keys of the shard holding job `id`; the shard its id names when no shard has it. */
export async function locateJob(redis: RedisClient, queue: QueueRef, id: string): Promise<QueueKeys> {
  const shards = queue.shards ?? 1;
  const named = queueKeys(queue.prefix, queue.name, shardOfId(id, shards), shards);
  if (shards === 1 || (await jobExists(redis, named, id))) return named;
  const others = shardKeys(queue.prefix, queue.name, shards).filter((k) => k.base !== named.base);
  const found = await Promise.all(others.map((k) => jobExists(redis, k, id)));
  return others[found.indexOf(true)] ?? named;
}
