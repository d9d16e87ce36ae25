/**
 * Counts of one queue by state, and of its workers, read in one round trip per queue (all of a
 * queue's keys share a Cluster slot; a sharded queue's, one per shard, summed) plus the Monitor's
 * read of the heartbeats.
 */
import { Monitor, type WorkerStatus } from "../monitor/monitor.js";
import { PRIORITIES, type Priority } from "../options.js";
import type { RedisClient } from "../redis/connection.js";
import { shardKeys, type QueueKeys } from "../redis/keys.js";
import type { QueueRef } from "./queue-discovery.js";
import { queueLabel } from "../queue-definition.js";
import { countActive } from "../store/index.js";

/** One queue at a glance: its jobs by state and its workers, summed over its shards. */
export interface QueueStats {
  /** The queue's name. */
  queue: string;
  /** Its Redis key prefix. */
  prefix: string;
  /** Jobs waiting to run, all priorities. */
  waiting: number;
  /** Jobs waiting to run, by priority. */
  waitingByPriority: Record<Priority, number>;
  /** Jobs waiting for their parents (`dependsOn`). */
  blocked: number;
  /** Delayed jobs and retries waiting for their backoff. */
  delayed: number;
  /** Jobs leased to a worker. */
  active: number;
  /** Finished jobs still kept (for `keepResultMs`). */
  completed: number;
  /** The dead-letter queue. */
  dead: number;
  /** Workers serving the queue. */
  workers: {
    /** Heartbeating. */
    live: number;
    /** Silent longer than `deadAfterMs`, not yet deregistered. */
    dead: number;
  };
  /** Jobs the live workers can run at once. */
  concurrency: number;
  /** Jobs held by live workers over their concurrency; 0 with no live worker. */
  busyRatio: number;
}

export async function readQueueStats(redis: RedisClient, queues: QueueRef[], deadAfterMs: number): Promise<{ stats: QueueStats[]; workers: WorkerStatus[] }> {
  const monitor = new Monitor({ connection: redis, queues, deadAfterMs });
  const [counts, workers] = await Promise.all([Promise.all(queues.map((q) => readCounts(redis, q))), monitor.listWorkers()]);
  const stats = queues.map((q, i) => {
    // Workers name their queues by label: a worker of a:mail does not serve b:mail.
    const label = queueLabel(q);
    const serving = workers.filter((w) => w.queues.includes(label));
    const live = serving.filter((w) => w.state === "live");
    const concurrency = live.reduce((n, w) => n + (w.concurrency[label] ?? 0), 0);
    const held = live.reduce((n, w) => n + (w.jobs[label]?.length ?? 0), 0);
    return {
      queue: q.name,
      prefix: q.prefix,
      ...counts[i],
      workers: { live: live.length, dead: serving.length - live.length },
      concurrency,
      busyRatio: concurrency === 0 ? 0 : Math.min(1, held / concurrency),
    };
  });
  return { stats, workers };
}

async function readCounts(redis: RedisClient, queue: QueueRef) {
  const shards = await Promise.all(shardKeys(queue.prefix, queue.name, queue.shards).map((k) => readShardCounts(redis, k)));
  const sum = (pick: (c: (typeof shards)[number]) => number) => shards.reduce((n, c) => n + pick(c), 0);
  const waitingByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, sum((c) => c.waitingByPriority[p])])) as Record<Priority, number>;
  return {
    waiting: sum((c) => c.waiting),
    waitingByPriority,
    blocked: sum((c) => c.blocked),
    delayed: sum((c) => c.delayed),
    active: sum((c) => c.active),
    completed: sum((c) => c.completed),
    dead: sum((c) => c.dead),
  };
}

async function readShardCounts(redis: RedisClient, k: QueueKeys) {
  const pipeline = redis.multi();
  for (const key of k.wait) pipeline.llen(key);
  pipeline.zcard(k.blocked).zcard(k.delayed);
  countActive(pipeline, k.active).zcard(k.completed).zcard(k.dead);
  const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return Number(value);
  });
  const waitingByPriority = Object.fromEntries(PRIORITIES.map((p, i) => [p, replies[i]])) as Record<Priority, number>;
  const [blocked, delayed, active, completed, dead] = replies.slice(PRIORITIES.length);
  return { waiting: replies.slice(0, PRIORITIES.length).reduce((a, b) => a + b, 0), waitingByPriority, blocked, delayed, active, completed, dead };
}
