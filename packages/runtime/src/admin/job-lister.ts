/** How `pageAcrossQueues` reads the jobs of one state of a queue: its index sizes, then a slice by offset. */
import type { RedisClient } from "../redis/connection.js";
import { shardKeys } from "../redis/keys.js";
import { listJobs, type ListableState } from "./list-jobs.js";
import type { JobSummary } from "./job-record.js";
import type { QueueLister } from "./queue-pages.js";

export function jobLister(redis: RedisClient, state: ListableState): QueueLister<JobSummary> {
  return {
    sizeKeys: (q) =>
      shardKeys(q.prefix, q.name, q.shards).flatMap((k): Array<{ key: string; type: "list" | "zset" }> =>
        state === "waiting" ? k.wait.map((key) => ({ key, type: "list" })) : [{ key: k[state], type: "zset" }],
      ),
    read: async (q, from, want) => {
      const offset = from?.[0] ?? 0;
      const jobs = await listJobs(redis, q, { state, offset, limit: want });
      // A full slice may have more behind it; a short one reached the end of the index.
      return jobs.length === want ? { items: jobs, next: [offset + want] } : { items: jobs };
    },
  };
}
