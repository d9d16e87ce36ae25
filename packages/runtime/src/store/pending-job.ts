/**
 * The pending form of a job, read from TypeScript (scripts/includes/pending-job.lua writes it and
 * says why): a plain job has no record until its first lease; its record's fields travel ahead of its
 * payload in its `data` entry, "\x01<ct>|<n>|<p>|<m>|<v>|<t>\n<payload>". Its first lease writes no
 * record, only its entry in the queue's `leases` hash (lease.ts), and its completion writes a record
 * of its outcome, leaving the entry as it is (a job "leased from the pending form", see
 * pending-job.lua). Readers of one job or a page of jobs read the record first, then its lease and,
 * for a job without a name there, its data entry, the record's fields winning.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import type { JobFieldCode } from "./job-record-schema.js";
import { leaseFields } from "./lease.js";

/** The record fields a lease stands for (lease.ts): read from `leases` only when asked for. */
const LEASE_CODES: ReadonlySet<JobFieldCode> = new Set<JobFieldCode>(["s", "a", "w", "st", "l"]);

/** The first byte of a pending entry; no stored payload starts with it (payload/envelope.ts). */
const PENDING_MARKER = 0x01;
const PENDING_FORM = /^\x01(\d+)\|([^|\n]*)\|([0-4])\|(\d+)\|(\d*)\|(\d*)\n/;

/** A pending job's data entry, split. */
export interface PendingEntry {
  /** Its record's own fields, as materializing it writes them (v and t only when set). */
  readonly fields: Readonly<Partial<Record<JobFieldCode, string>>>;
  /** The stored payload. */
  readonly payload: string | Buffer;
}

/** True when a data entry is in the pending form (or starts like one). */
export function isPendingEntry(entry: string | Buffer | null | undefined): entry is string | Buffer {
  if (entry === null || entry === undefined) return false;
  return typeof entry === "string" ? entry.charCodeAt(0) === PENDING_MARKER : entry[0] === PENDING_MARKER;
}

/** A pending data entry split into its fields and payload; undefined for a stored payload or a garbled entry. */
export function parsePendingEntry(entry: string | Buffer | null | undefined): PendingEntry | undefined {
  if (!isPendingEntry(entry)) return undefined;
  // The header is ASCII (digits, a job name): reading it as latin1 keeps byte offsets for a Buffer.
  const head = typeof entry === "string" ? entry.slice(0, 160) : entry.subarray(0, 160).toString("latin1");
  const match = PENDING_FORM.exec(head);
  if (!match) return undefined;
  const [all, ct, n, p, m, v, t] = match;
  const fields: Partial<Record<JobFieldCode, string>> = { ct, n, p, m };
  if (v !== "") fields.v = v;
  if (t !== "") fields.t = t;
  return { fields, payload: typeof entry === "string" ? entry.slice(all.length) : entry.subarray(all.length) };
}

/** The payload of a data entry as a job's payload: without the pending fields when it has them. */
export function payloadOfEntry<T extends string | Buffer | null>(entry: T): T | string | Buffer {
  return parsePendingEntry(entry)?.payload ?? entry;
}

/**
 * HMGET of `codes` on each job's record, a leased job's filled in from its lease (in the same round
 * trip, when `codes` ask for what a lease holds) and a pending job's from its data entry (one more
 * round trip, for the jobs without a record only): what every page of jobs reads.
 */
export async function readJobFields(
  client: RedisClient,
  keys: QueueKeys,
  ids: readonly string[],
  codes: readonly JobFieldCode[],
): Promise<Array<Array<string | null>>> {
  if (ids.length === 0) return [];
  const pipeline = client.pipeline();
  for (const id of ids) pipeline.hmget(keys.job(id), ...codes);
  const withLeases = codes.some((code) => LEASE_CODES.has(code));
  if (withLeases) pipeline.hmget(keys.leases, ...ids);
  const replies = (await pipeline.exec()) ?? [];
  const rows = replies.slice(0, ids.length).map(([error, value]) => (error ? codes.map(() => null) : (value as Array<string | null>)));
  if (withLeases) {
    // A `leases` key of the wrong type (by hand) shows no lease rather than failing the page.
    const [error, values] = replies[ids.length] ?? [null, null];
    const leases = error ? [] : ((values as Array<string | null> | null) ?? []);
    rows.forEach((row, i) => {
      const lease = leaseFields(ids[i], leases[i]);
      if (lease) codes.forEach((code, j) => (row[j] ??= lease[code] ?? null));
    });
  }
  const name = codes.indexOf("n");
  const missing = ids.filter((_, i) => name < 0 || rows[i][name] === null);
  if (missing.length === 0) return rows;
  const entries = await client.hmget(`${keys.base}data`, ...missing);
  const pending = new Map(missing.map((id, i) => [id, parsePendingEntry(entries[i])]));
  return rows.map((row, i) => {
    const entry = pending.get(ids[i]);
    return entry ? codes.map((code, j) => row[j] ?? entry.fields[code] ?? null) : row;
  });
}

/** True when job `id` exists: its record, or its data entry (a pending job has only that). */
export async function jobExists(client: RedisClient, keys: QueueKeys, id: string): Promise<boolean> {
  const [[, record], [, entry]] = (await client.pipeline().exists(keys.job(id)).hexists(`${keys.base}data`, id).exec()) as [
    [unknown, number],
    [unknown, number],
  ];
  return record > 0 || entry > 0;
}
