/**
 * A binary payload that reached a worker as text. A queue that writes only JSON is fetched with text
 * replies (the fast path), but it can still hold binary jobs: written while its serializer was
 * msgpack, or by a producer with other settings. Their bytes did not survive UTF-8 decoding, so the
 * worker reads them again as bytes, one HGET per such job; the queue's own jobs cost nothing more.
 */
import type { RedisClient } from "../redis/connection.js";
import { isEnvelope } from "../payload/envelope.js";
import { payloadOfEntry } from "../store/index.js";
import type { LeasedJob } from "./leased-job.js";

/** True when the job's payload is an envelope read as text: its bytes must be read again. */
export function lostPayloadBytes(job: LeasedJob): boolean {
  return typeof job.payload === "string" && isEnvelope(job.payload);
}

/**
 * The job with its payload read again as bytes, from the `data` hash under `base`. A payload gone
 * meanwhile stays as it was, and fails to decode with that reason. A job leased from the pending form
 * (store/pending-job.ts) still has its fields ahead of its payload there.
 */
export async function withPayloadBytes(redis: RedisClient, base: string, job: LeasedJob): Promise<LeasedJob> {
  const bytes = await redis.hgetBuffer(`${base}data`, job.id);
  return bytes ? { ...job, payload: payloadOfEntry(bytes) } : job;
}
