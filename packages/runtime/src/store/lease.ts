/**
 * A job's lease, read from TypeScript: the queue's `leases` hash holds, per leased job,
 * "<call token>|<attempt>|<whole>|<startedAt ms>|<workerId>" (scripts/includes/lease.lua writes it
 * and says why). A job leased from the pending form has no record while it runs, so readers take its
 * state, attempt, worker, start time and token from here, the record's fields winning where it has
 * them.
 */
import type { JobFieldCode } from "./job-record-schema.js";

const LEASE_FORM = /^([^|]*)\|(\d+)\|([01])\|(\d*)\|([\s\S]*)$/;

/** The record fields a lease stands for: s (active), a, st, w and l (the job's lease token). */
export type LeaseFields = Readonly<Partial<Record<JobFieldCode, string>>>;

/** The fields lease `value` of job `id` stands for; undefined for no lease or a garbled one. */
export function leaseFields(id: string, value: string | null | undefined): LeaseFields | undefined {
  if (typeof value !== "string") return undefined;
  const match = LEASE_FORM.exec(value);
  if (!match) return undefined;
  const [, token, attempt, , startedAt, workerId] = match;
  const fields: Partial<Record<JobFieldCode, string>> = { s: "active", a: attempt, w: workerId, l: `${token}.${id}` };
  if (startedAt !== "") fields.st = startedAt;
  return fields;
}

/** The worker holding job `id` per its lease `value` (undefined for none). */
export function leaseHolder(value: string | null | undefined): string | undefined {
  return leaseFields("", value)?.w;
}
