/** How `pageAcrossQueues` reads the jobs of one state of a queue: its index sizes, then a slice by offset. */
import type { RedisClient } from "../redis/connection.js";
import { shardKeys } from "../redis/keys.js";
import { listJobs, type ListableState } from "./list-jobs.js";
import type { JobSummary } from "./job-record.js";
import type { QueueLister } from "./queue-pages.js";

/** Entries a name filter reads per slice, and looks at per queue and page before handing back a position. */
const FILTER_SLICE = 500;
const FILTER_BUDGET = 5_000;

/** `name`: only jobs of this job name; the index is read a slice at a time and each job's name looked at. */
export function jobLister(redis: RedisClient, state: ListableState, name?: string): QueueLister<JobSummary> {
  return {
    sizeKeys: (q) =>
      shardKeys(q.prefix, q.name, q.shards).flatMap((k): Array<{ key: string; type: "list" | "zset" }> =>
        state === "waiting" ? k.wait.map((key) => ({ key, type: "list" })) : [{ key: k[state], type: "zset" }],
      ),
    read: async (q, from, want) => {
      const offset = from?.[0] ?? 0;
      if (name === undefined) {
        const jobs = await listJobs(redis, q, { state, offset, limit: want });
        // A full slice may have more behind it; a short one reached the end of the index.
        return jobs.length === want ? { items: jobs, next: [offset + want] } : { items: jobs };
      }
      // Filtered: a rare name costs several short pages (each looking at FILTER_BUDGET entries at most), never one long read.
      const items: JobSummary[] = [];
      for (let at = offset; at - offset < FILTER_BUDGET; at += FILTER_SLICE) {
        const slice = await listJobs(redis, q, { state, offset: at, limit: FILTER_SLICE });
        for (let i = 0; i < slice.length; i++) {
          if (slice[i].name !== name) continue;
          items.push(slice[i]);
          if (items.length === want) return { items, next: [at + i + 1] };
        }
        if (slice.length === 0) return { items };
      }
      return { items, next: [offset + FILTER_BUDGET] };
    },
  };
}
