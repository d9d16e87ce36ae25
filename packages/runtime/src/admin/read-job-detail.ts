/**
 * Reads one job whole for the operator (QueueInspector.getJob and findJob): its record, lease,
 * payload, errors and logs in one MULTI, the record of a pending job (no record yet) taken from its
 * payload and, while it runs, its lease (store/lease.ts).
 */
import type { RedisClient } from "../redis/connection.js";
import { decodeJobRecord, jobLogKey, leaseFields, parsePendingEntry } from "../store/index.js";
import { locateJob } from "./locate-job.js";
import { toDetail, toSummary, type JobDetail } from "./job-record.js";
import type { QueueRef } from "./queue-discovery.js";

/** Job `id` of `ref`; undefined when it does not exist (or expired). */
export async function readJobDetail(redis: RedisClient, ref: QueueRef, id: string): Promise<JobDetail | undefined> {
  const k = await locateJob(redis, ref, id);
  const [[, hash], [, lease], [, payload], [, errors], [, logs]] = (await redis
    .multi()
    .hgetall(k.job(id))
    .hget(k.leases, id)
    // As bytes: a binary payload (msgpack, compressed) would not survive a text reply.
    .hgetBuffer(`${k.base}data`, id)
    .lrange(k.errors(id), 0, -1)
    .lrange(jobLogKey(k, id), 0, -1)
    .exec()) as [
    [Error | null, Record<string, string>],
    [Error | null, string | null],
    [Error | null, Buffer | null],
    [Error | null, string[]],
    [Error | null, string[]],
  ];
  // A pending job (store/pending-job.ts) has no record yet: its fields come with its payload.
  const pending = hash.n === undefined ? parsePendingEntry(payload) : undefined;
  // A job leased from the pending form has no record while it runs: its lease says it is active, on
  // which attempt, since when and on which worker.
  const leased = typeof lease === "string" ? leaseFields(id, lease) : undefined;
  const record = decodeJobRecord(pending || leased ? { ...pending?.fields, ...leased, ...hash } : hash);
  return record && toDetail(toSummary(ref, id, record), record, pending ? pending.payload : payload, errors, logs);
}
