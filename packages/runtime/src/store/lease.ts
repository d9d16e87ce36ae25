/**
 * A job's lease, read from TypeScript: the queue's `leases` hash holds, per leased job,
 * "<lease token>|<whole>|<attempt>|<startedAt ms>|<workerId>", the lease token being
 * `<call token>.<job id>` (scripts/includes/lease.lua writes it and says why). A job leased from the
 * pending form has no record while it runs, so readers take its state, attempt, worker, start time
 * and token from here, the record's fields winning where it has them.
 */
import type { JobFieldCode } from "./job-record-schema.js";

/** The record fields a lease stands for: s (active), a, st, w and l (the job's lease token). */
export type LeaseFields = Readonly<Partial<Record<JobFieldCode, string>>>;

/** The fields lease `value` of job `id` stands for; undefined for no lease or a garbled one. */
export function leaseFields(id: string, value: string | null | undefined): LeaseFields | undefined {
  if (typeof value !== "string") return undefined;
  // The call token holds no "." (worker/lease-tokens.ts): the first one starts `.<id>`.
  const dot = value.indexOf(".");
  const end = dot + 1 + id.length;
  if (dot < 0 || value.slice(dot + 1, end) !== id || value[end] !== "|") return undefined;
  const [whole, attempt, startedAt, ...worker] = value.slice(end + 1).split("|");
  if (!/^[01]$/.test(whole) || !/^\d+$/.test(attempt ?? "") || !/^\d*$/.test(startedAt ?? "") || worker.length === 0) return undefined;
  const fields: Partial<Record<JobFieldCode, string>> = { s: "active", a: attempt, w: worker.join("|"), l: value.slice(0, end) };
  if (startedAt !== "") fields.st = startedAt;
  return fields;
}

/** The worker holding job `id` per its lease `value` (undefined for none). */
export function leaseHolder(id: string, value: string | null | undefined): string | undefined {
  return leaseFields(id, value)?.w;
}
