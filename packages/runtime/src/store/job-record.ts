/**
 * Decodes a job record as read from Redis (HGETALL, or HMGET of some fields) into a {@link JobRecord},
 * by the schema of job-record-schema.ts. Records can be written by hand or by an older runtime, so
 * decoding never throws: a field whose text its kind cannot read is left out, as if absent.
 */
import { JOB_RECORD_FIELDS, JOB_STATES, type FieldKind, type JobFieldCode, type JobRecord, type JobState } from "./job-record-schema.js";

type Stored = string | Buffer | null | undefined;

const KNOWN_STATES = new Set<string>(JOB_STATES);

/**
 * The state of a record from its stored `s` field; a new record leaves it out, which means
 * `waiting`. `undefined` when there is no record (`exists` false) or the field holds text no script
 * writes (hand-written data), which callers treat as an unreadable record rather than a new state.
 */
export function parseJobState(stored: string | null | undefined, exists: boolean): JobState | undefined {
  if (!exists) return undefined;
  if (stored === null || stored === undefined) return "waiting";
  return KNOWN_STATES.has(stored) ? (stored as JobState) : undefined;
}

/** The fields a job list shows (see admin/job-record.ts). */
export const SUMMARY_FIELDS = ["n", "s", "p", "a", "m", "ct", "st", "fin", "da", "w"] as const satisfies readonly JobFieldCode[];

/** The fields a dead-letter queue listing shows, besides the payload in the queue's data hash. */
export const DEAD_JOB_FIELDS = ["n", "d", "a", "ct"] as const satisfies readonly JobFieldCode[];

/**
 * A record from the values HMGET returned for `codes`, in that order; undefined when the record has
 * no name (it does not exist, or is no job).
 */
export function decodeJobFields(codes: readonly JobFieldCode[], values: readonly Stored[]): JobRecord | undefined {
  const hash: Partial<Record<JobFieldCode, Stored>> = {};
  codes.forEach((code, i) => (hash[code] = values[i]));
  const record = decodeJobRecord(hash);
  // Not read is not absent: only a read `s` that is missing means waiting.
  if (record && !codes.includes("s")) delete (record as { state?: JobState }).state;
  return record;
}

/** A whole record (HGETALL's hash); undefined when it has no name (it does not exist, or is no job). */
export function decodeJobRecord(hash: Readonly<Partial<Record<string, Stored>>>): JobRecord | undefined {
  const name = hash.n;
  if (name === null || name === undefined) return undefined;
  const record: Record<string, unknown> = {};
  for (const code of Object.keys(JOB_RECORD_FIELDS) as JobFieldCode[]) {
    const { name: field, kind } = JOB_RECORD_FIELDS[code];
    const value = decodeField(kind, hash[code]);
    if (value !== undefined) record[field] = value;
  }
  // A record without a state is a new waiting job: enqueue leaves the field out.
  if (hash.s === null || hash.s === undefined) record.state = "waiting";
  return record as JobRecord;
}

function decodeField(kind: FieldKind, stored: Stored): unknown {
  if (stored === null || stored === undefined) return undefined;
  if (kind === "payload") return stored;
  const text = typeof stored === "string" ? stored : stored.toString("utf8");
  switch (kind) {
    case "text":
      return text;
    case "number": {
      const n = text === "" ? NaN : Number(text);
      return Number.isFinite(n) ? n : undefined;
    }
    case "time": {
      const ms = text === "" ? NaN : Number(text);
      // Never an Invalid Date, which throws when printed.
      return Number.isFinite(ms) ? new Date(ms) : undefined;
    }
    case "flag":
      return text !== "" && text !== "0";
    case "state":
      return parseJobState(text, true);
    case "json":
      return parseJson(text);
  }
}

/** Stored JSON, parsed; a value that is not JSON (hand-written data) is the raw string. */
function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
