/**
 * Which shard of a sharded queue each job of an enqueue goes to. A job is placed by what must find it
 * again, first match wins:
 * 1. its parents (`dependsOn`): a job and its parents share a shard, since one script settles them;
 * 2. its unique key: duplicates must meet the first job's `unique:` key, so they hash alike;
 * 3. its explicit jobId: the id hashes to its shard, so the same id never makes a second job and a
 *    lookup by id alone finds it;
 * 4. nothing: free, it goes where the call's placed jobs go, else round-robin.
 *
 * A call is written as one script per shard it touches, so a bulk is atomic per shard. Keeping the
 * free jobs with the placed ones makes a bulk whose placed jobs share a shard (or that has none)
 * atomic as a whole.
 */
import type { JobDefinition } from "../definition.js";
import { ConfigError } from "../errors.js";
import { shardOfId, shardOfKey } from "../redis/shards.js";
import { handleShard } from "./job-handle.js";
import { uniqueKey, type PendingJob } from "./job-fields.js";

/** The jobs one script call writes to one shard, parents before children. */
export interface ShardWrite {
  shard: number;
  /** Positions in the call's items, in write order. */
  order: number[];
}

/**
 * Groups `order` (positions, parents first) by shard; `roundRobin()` picks the shard of a call whose
 * jobs are all free.
 */
export function placeJobs(definition: JobDefinition<any, any>, jobs: PendingJob[], order: number[], roundRobin: () => number): ShardWrite[] {
  const shards = definition.queue.shards ?? 1;
  const placedAt = new Map<number, number>();
  const byId = new Map<string, number>();
  jobs.forEach((job, index) => job.options.jobId !== undefined && byId.set(job.options.jobId, index));
  for (const index of order) {
    const shard = placeOne(definition, jobs[index], shards, (id) => {
      const earlier = byId.get(id);
      return earlier !== undefined && placedAt.has(earlier) ? placedAt.get(earlier) : undefined;
    });
    if (shard !== undefined) placedAt.set(index, shard);
  }
  const free = mostUsed(placedAt) ?? roundRobin();
  const groups = new Map<number, number[]>();
  for (const index of order) {
    const shard = placedAt.get(index) ?? free;
    const group = groups.get(shard) ?? [];
    group.push(index);
    groups.set(shard, group);
  }
  return [...groups].map(([shard, positions]) => ({ shard, order: positions }));
}

/** A job's shard by rules 1 to 3, or undefined when it is free. */
function placeOne(definition: JobDefinition<any, any>, job: PendingJob, shards: number, inCall: (id: string) => number | undefined): number | undefined {
  const { jobId, dependsOn } = job.options;
  if (dependsOn?.length) {
    const parents = dependsOn.map((parent) => {
      const id = typeof parent === "string" ? parent : parent.id;
      const shard = inCall(id) ?? (typeof parent === "string" ? undefined : handleShard(parent)) ?? shardOfId(id, shards);
      return { id, shard };
    });
    const shard = parents[0].shard;
    const other = parents.find((p) => p.shard !== shard);
    if (other) {
      throw new ConfigError(
        `dependsOn: jobs ${parents[0].id} and ${other.id} sit on different shards (${shard} and ${other.shard}) of queue ${definition.queue.name}; a job and its parents must share a shard: enqueue the parents together in one bulk (free jobs of a bulk share a shard), or leave out their jobIds`,
      );
    }
    return shard;
  }
  const unique = uniqueKey(definition, job.payload);
  if (unique !== "") {
    if (jobId !== undefined) {
      throw new ConfigError(
        `job ${definition.name} of sharded queue ${definition.queue.name}: give a unique job a jobId or its unique key, not both; each would place it on its own shard`,
      );
    }
    return shardOfKey(unique, shards);
  }
  return jobId === undefined ? undefined : shardOfKey(jobId, shards);
}

/** The shard most placed jobs go to (the lowest on a tie), or undefined when none is placed. */
function mostUsed(placedAt: Map<number, number>): number | undefined {
  const counts = new Map<number, number>();
  for (const shard of placedAt.values()) counts.set(shard, (counts.get(shard) ?? 0) + 1);
  let best: number | undefined;
  for (const [shard, count] of counts) {
    if (best === undefined || count > counts.get(best)! || (count === counts.get(best) && shard < best)) best = shard;
  }
  return best;
}
