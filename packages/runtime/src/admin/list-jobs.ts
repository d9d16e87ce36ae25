/**
 * Pages through the jobs of one queue in one state, in the order an operator reads them: waiting jobs
 * next-to-run first (most urgent priority first; each wait list is LPUSHed and RPOPed, so its tail
 * runs next), delayed jobs soonest due first, active jobs by lease expiry, completed and dead jobs
 * newest first. Cancelled jobs are in no index and cannot be listed, only read by id.
 *
 * A sharded queue lists as one: each shard's first `offset + limit` are read and merged in the same
 * order (waiting jobs: by priority, then taking turns between shards as the workers do), so deep
 * pages of a sharded queue cost a read per shard of everything before them.
 */
import type { RedisClient } from "../redis/connection.js";
import { queueKeys, shardKeys, type QueueKeys } from "../redis/keys.js";
import { PRIORITIES } from "../options.js";
import { pageLimit } from "../client/page-limit.js";
import { activeIds, decodeJobFields, readJobFields, SUMMARY_FIELDS } from "../store/index.js";
import { toSummary, type JobSummary } from "./job-record.js";
import type { QueueRef } from "./queue-discovery.js";

/** The states that have an index to list from. */
export const LISTABLE_STATES = ["waiting", "blocked", "delayed", "active", "completed", "dead"] as const;
/** A state whose jobs can be listed (cancelled jobs are in no index: read them by id). */
export type ListableState = (typeof LISTABLE_STATES)[number];

/** Which page of which state {@link QueueInspector.listJobs} returns. */
export interface ListJobsOptions {
  /** The state to list. */
  state: ListableState;
  /** At most this many, 1 to 1 000. (Default: 50) */
  limit?: number;
  /** Skip this many first. (Default: 0) */
  offset?: number;
}

export async function listJobs(redis: RedisClient, queue: QueueRef, options: ListJobsOptions): Promise<JobSummary[]> {
  const limit = pageLimit(options.limit);
  const offset = Math.max(0, options.offset ?? 0);
  if ((queue.shards ?? 1) > 1) return listShardedJobs(redis, queue, options.state, offset, limit);
  const k = queueKeys(queue.prefix, queue.name);
  const ids = options.state === "waiting" ? await waitingIds(redis, k, offset, limit) : await sortedIds(redis, k, options.state, offset, limit);
  return summaries(redis, queue, k, ids);
}

async function summaries(redis: RedisClient, queue: QueueRef, k: QueueKeys, ids: string[]): Promise<JobSummary[]> {
  if (ids.length === 0) return [];
  const rows = await readJobFields(redis, k, ids, SUMMARY_FIELDS);
  // A record can expire (keepResultMs) before its index entry is trimmed: skip it.
  return ids.flatMap((id, i) => {
    const record = decodeJobFields(SUMMARY_FIELDS, rows[i]);
    return record ? toSummary(queue, id, record) : [];
  });
}

async function listShardedJobs(redis: RedisClient, queue: QueueRef, state: ListableState, offset: number, limit: number): Promise<JobSummary[]> {
  const perShard = await Promise.all(
    shardKeys(queue.prefix, queue.name, queue.shards).map(async (k) => {
      const ids = state === "waiting" ? await waitingIds(redis, k, 0, offset + limit) : await sortedIds(redis, k, state, 0, offset + limit);
      const jobs = await summaries(redis, queue, k, ids);
      // Rank within the job's own order on its shard: position among its priority, or its index time.
      const seen = new Map<string, number>();
      return jobs.map((job) => {
        const rank = seen.get(job.priority) ?? 0;
        seen.set(job.priority, rank + 1);
        return { job, rank };
      });
    }),
  );
  const all = perShard.flatMap((jobs, shard) => jobs.map((entry) => ({ ...entry, shard })));
  all.sort((a, b) => {
    if (state === "waiting") return PRIORITIES.indexOf(a.job.priority) - PRIORITIES.indexOf(b.job.priority) || a.rank - b.rank || a.shard - b.shard;
    const order = indexTime(b.job, state) - indexTime(a.job, state);
    return state === "completed" || state === "dead" ? order : -order;
  });
  return all.slice(offset, offset + limit).map(({ job }) => job);
}

/** The time a state's index orders a job by (its score there, as far as the record shows it). */
function indexTime(job: JobSummary, state: Exclude<ListableState, "waiting">): number {
  const at = state === "delayed" ? job.dueAt : state === "active" ? job.startedAt : state === "blocked" ? job.createdAt : job.finishedAt;
  return at?.getTime() ?? 0;
}

async function sortedIds(redis: RedisClient, k: QueueKeys, state: Exclude<ListableState, "waiting">, offset: number, limit: number): Promise<string[]> {
  const key = { blocked: k.blocked, delayed: k.delayed, active: k.active, completed: k.completed, dead: k.dead }[state];
  const stop = offset + limit - 1;
  if (state === "active") return activeIds(redis, key, offset, limit);
  return state === "completed" || state === "dead" ? redis.zrevrange(key, offset, stop) : redis.zrange(key, String(offset), String(stop));
}

async function waitingIds(redis: RedisClient, k: QueueKeys, offset: number, limit: number): Promise<string[]> {
  const lengths = await Promise.all(k.wait.map((key) => redis.llen(key)));
  const ids: string[] = [];
  let skip = offset;
  for (let p = 0; p < k.wait.length && ids.length < limit; p++) {
    const length = lengths[p];
    if (skip >= length) {
      skip -= length;
      continue;
    }
    // The n-th job to run of this list (0-based) is at index length-1-n.
    const want = Math.min(limit - ids.length, length - skip);
    const slice = await redis.lrange(k.wait[p], length - skip - want, length - skip - 1);
    ids.push(...slice.reverse());
    skip = 0;
  }
  return ids;
}
