/**
 * Pages through a list that spans queues (jobs of a state, dead jobs): queue after queue in prefix
 * and name order, each queue's items in its own order, `limit` at most, and a cursor to go on from.
 * The cost is bounded by the page, not by the number of queues or jobs: queue sizes are read for a
 * batch of queues in one pipeline, and only queues with something in them are read, each for no more
 * than the page still needs.
 */
import { Cluster } from "ioredis";
import type { RedisClient } from "../redis/connection.js";
import { compareQueues, decodeCursor, encodeCursor } from "./page-cursor.js";
import type { QueueRef } from "./queue-discovery.js";

/** Queues whose sizes the first pipeline reads; each next one reads twice as many, up to the most. */
const FIRST_SIZE_BATCH = 8;
const MOST_SIZE_BATCH = 512;

/** What a list needs of each queue: its size, and a slice of it from a position. */
export interface QueueLister<T> {
  /** The keys whose sizes add up to the queue's (a list is LLEN, a sorted set ZCARD). */
  sizeKeys(queue: QueueRef): Array<{ key: string; type: "list" | "zset" }>;
  /** Up to `want` items of `queue` from `from` (Default: its start), and where to go on, undefined at its end. */
  read(queue: QueueRef, from: number[] | undefined, want: number): Promise<{ items: T[]; next?: number[] }>;
}

export interface QueuePage<T> {
  items: T[];
  /** Pass it back for the next page; undefined when there is no more. */
  nextCursor?: string;
}

export async function pageAcrossQueues<T>(
  redis: RedisClient,
  queues: QueueRef[],
  limit: number,
  cursor: string | undefined,
  lister: QueueLister<T>,
): Promise<QueuePage<T>> {
  const sorted = [...queues].sort(compareQueues);
  const at = cursor === undefined ? undefined : decodeCursor(cursor);
  const start = at === undefined ? 0 : sorted.findIndex((q) => compareQueues(q, { prefix: at.prefix, name: at.queue }) >= 0);
  if (start < 0) return { items: [] };
  const items: T[] = [];
  // Small batches first: a page is often filled by the first queues, and then most sizes go unread.
  for (let i = start, size = FIRST_SIZE_BATCH; i < sorted.length; i += size, size = Math.min(MOST_SIZE_BATCH, size * 2)) {
    const batch = sorted.slice(i, i + size);
    const sizes = await sizesOf(redis, batch, lister);
    for (let j = 0; j < batch.length; j++) {
      if (sizes[j] === 0) continue;
      const queue = batch[j];
      const from = at && queue.prefix === at.prefix && queue.name === at.queue ? at.positions : undefined;
      const page = await lister.read(queue, from, limit - items.length);
      items.push(...page.items);
      // Full with more in this queue, or a read that stopped short (a filter's scan budget): go on from here.
      if (page.next) return { items, nextCursor: encodeCursor(queue, page.next) };
      if (items.length >= limit) {
        const following = sorted[i + j + 1];
        return following ? { items, nextCursor: encodeCursor(following, []) } : { items };
      }
    }
  }
  return { items };
}

/**
 * Each queue's size. One pipeline on a single Redis; on Cluster a pipeline may not span slots, and
 * each queue (each shard) is a slot of its own, so the reads go out one by one, all at once.
 */
async function sizesOf<T>(redis: RedisClient, queues: QueueRef[], lister: QueueLister<T>): Promise<number[]> {
  const keys = queues.map((q) => lister.sizeKeys(q));
  const size = (client: RedisClient | ReturnType<RedisClient["pipeline"]>, k: { key: string; type: "list" | "zset" }) =>
    // ZCOUNT of the finite scores: every index's entries, without the anchor `active` holds (store/active-index.ts).
    k.type === "list" ? client.llen(k.key) : client.zcount(k.key, "-inf", "(+inf");
  if (redis instanceof Cluster) {
    return Promise.all(keys.map(async (ks) => (await Promise.all(ks.map((k) => size(redis, k) as Promise<number>))).reduce((a, b) => a + b, 0)));
  }
  const pipeline = redis.pipeline();
  for (const ks of keys) for (const k of ks) void size(pipeline, k);
  const replies = (await pipeline.exec()) ?? [];
  let r = 0;
  return keys.map((ks) =>
    ks.reduce((sum) => {
      const [error, value] = replies[r++];
      if (error) throw error;
      return sum + Number(value);
    }, 0),
  );
}
