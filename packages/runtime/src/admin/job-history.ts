/**
 * Reads the per-minute counts the scripts keep for each queue (`<base>history`, written by
 * scripts/includes/job-history.lua): jobs completed, attempts failed and jobs dead-lettered per
 * minute over the last hour, for the dashboard's charts. One small hash per queue (per shard of a
 * sharded queue, summed here), so a read costs a few KB per queue whatever the traffic was.
 */
import type { RedisClient } from "../redis/connection.js";
import { shardKeys } from "../redis/keys.js";
import type { QueueRef } from "./queue-discovery.js";

/** The minutes the scripts keep (HISTORY_MINUTES in job-history.lua). */
export const HISTORY_MINUTES = 60;
const MINUTE_MS = 60_000;

/** One queue's counts, one number per minute, oldest first; the last minute is the current one, still counting. */
export interface QueueHistory {
  /** The queue's name. */
  queue: string;
  /** Its Redis key prefix. */
  prefix: string;
  /** Jobs completed per minute. */
  completed: number[];
  /** Attempts that failed per minute (retried or dead-lettered; a lost lease counts too). */
  failed: number[];
  /** Jobs dead-lettered per minute. */
  dead: number[];
}

/** The counts of some queues over the same minutes. */
export interface JobHistory {
  /** The start of the oldest minute (Redis time). */
  from: Date;
  /** Length of one bucket: 60 000 ms. */
  bucketMs: number;
  /** Per queue, in the order asked. */
  queues: QueueHistory[];
}

const KINDS = { c: "completed", f: "failed", d: "dead" } as const;

/** The last `minutes` minutes (1 to 60) of each queue's counts, ending with the current minute on Redis's clock. */
export async function readJobHistory(redis: RedisClient, queues: readonly QueueRef[], minutes = HISTORY_MINUTES): Promise<JobHistory> {
  const [seconds] = await redis.time();
  const current = Math.floor((Number(seconds) * 1000) / MINUTE_MS);
  const first = current - minutes + 1;
  const histories = await Promise.all(
    queues.map(async (q): Promise<QueueHistory> => {
      const history: QueueHistory = { queue: q.name, prefix: q.prefix, completed: zeros(minutes), failed: zeros(minutes), dead: zeros(minutes) };
      // One HGETALL per shard: each is its own hash tag, so each is its own slot on Cluster.
      // A history key of another type (written by hand) reads as no counts, not as a failed request.
      const hashes = await Promise.all(shardKeys(q.prefix, q.name, q.shards).map((k) => redis.hgetall(`${k.base}history`).catch(wrongTypeAsEmpty)));
      for (const hash of hashes) {
        for (const [field, value] of Object.entries(hash)) {
          const match = /^([cfd]):(\d+)$/.exec(field);
          const at = match ? Number(match[2]) - first : -1;
          const count = Number(value);
          // Fields older than the window wait for the next trim; a garbled one is skipped, never shown.
          if (!match || at < 0 || at >= minutes || !Number.isFinite(count)) continue;
          history[KINDS[match[1] as keyof typeof KINDS]][at] += count;
        }
      }
      return history;
    }),
  );
  return { from: new Date(first * MINUTE_MS), bucketMs: MINUTE_MS, queues: histories };
}

function wrongTypeAsEmpty(error: Error): Record<string, string> {
  if (/WRONGTYPE/.test(error.message)) return {};
  throw error;
}

function zeros(n: number): number[] {
  return Array.from({ length: n }, () => 0);
}
