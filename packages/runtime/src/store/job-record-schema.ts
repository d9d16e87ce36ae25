/**
 * The job record (`<base>job:<id>`, a hash) defined once: each field's code as the scripts write it,
 * its name and TypeScript type once decoded, and what it means. The codes are one or two letters
 * because every waiting job carries a record: short names keep it in Redis's compact small-hash
 * encoding. The record's TypeScript type, its decoder (job-record.ts) and `JobState` follow from
 * this table, and packages/runtime/test/job-record-schema.test.ts reads every Lua script to fail when
 * a script reads or writes a field, or writes a state, that is not named here.
 */

/** Every state a job can be in, in the order a job usually passes through them. */
export const JOB_STATES = ["blocked", "waiting", "delayed", "active", "completed", "dead", "cancelled"] as const;

/**
 * Where a job is: `blocked` on parents that have not completed (`dependsOn`), `waiting` to be fetched,
 * `delayed` until its due time (a delay, a retry's backoff or a rate limit), `active` leased to a
 * worker, `completed`, `dead` (in the dead-letter queue) or `cancelled`.
 */
export type JobState = (typeof JOB_STATES)[number];

/**
 * How a field's stored text is decoded: `text` as it is, `number` as a finite number, `time` (ms
 * since the epoch, Redis time) as a Date, `flag` as true when present, `state` as a {@link JobState},
 * `json` parsed (the raw text when it is not JSON), `payload` kept as stored (text or an envelope).
 */
export type FieldKind = "text" | "number" | "time" | "flag" | "state" | "json" | "payload";

interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly meaning: string;
}

/** The job record's fields by code. Scripts may use no other field of a record. */
export const JOB_RECORD_FIELDS = {
  n: { name: "name", kind: "text", meaning: "The job type's name; every record has it, so a hash without it is no job." },
  s: { name: "state", kind: "state", meaning: "Its state; left out of a new waiting job's record, which saves a size class." },
  p: { name: "priority", kind: "number", meaning: "Its priority's index, 0 (critical) to 4 (batch)." },
  a: { name: "attempts", kind: "number", meaning: "Runs started so far, the current one included." },
  m: { name: "maxAttempts", kind: "number", meaning: "Runs before it is dead-lettered." },
  ct: { name: "createdAt", kind: "time", meaning: "When it was enqueued." },
  st: { name: "startedAt", kind: "time", meaning: "When its latest run was leased." },
  fin: { name: "finishedAt", kind: "time", meaning: "When it completed, died or was cancelled." },
  da: { name: "dueAt", kind: "time", meaning: "When a delayed job, a retry or a blocked job with a delay comes due." },
  dp: { name: "parentFailurePolicy", kind: "text", meaning: "`fail` or `ignore`: what a dead or cancelled parent does to it." },
  pd: { name: "pendingParents", kind: "number", meaning: "Parents it still waits for while blocked." },
  ch: { name: "hasChildren", kind: "flag", meaning: "Some job depends on it: ending it settles them (children:<id>)." },
  u: { name: "uniqueKey", kind: "text", meaning: "Its unique key, held until it ends (a unique key without a ttl)." },
  g: { name: "rateLimitGroup", kind: "text", meaning: "Its rate-limit group (`groupBy`)." },
  t: { name: "timeoutMs", kind: "number", meaning: "The enqueue's override of the job type's timeout." },
  v: { name: "version", kind: "number", meaning: "Payload schema version, when not 1." },
  e: { name: "lastError", kind: "json", meaning: "The latest attempt's error (all of them are in errors:<id>)." },
  l: {
    name: "leaseToken",
    kind: "text",
    meaning:
      "The token fencing its current lease. Kept in the queue's `leases` hash (scripts/includes/lease.lua), not in the record: readers fill it in while the job is leased.",
  },
  w: { name: "workerId", kind: "text", meaning: "The worker holding, or last holding, it." },
  r: { name: "result", kind: "json", meaning: "The result of a completed job." },
  pg: { name: "progress", kind: "json", meaning: "The last value its handler passed to `ctx.progress()`." },
  lg: { name: "hasLogs", kind: "flag", meaning: "It has a logs:<id> list (`ctx.log()`), removed with the record." },
  d: {
    name: "payload",
    kind: "payload",
    meaning: "Its payload, kept in the record: a cancelled job's, or any job's written before payloads moved to the queue's data hash.",
  },
  tc: { name: "traceContext", kind: "text", meaning: "The producer's W3C trace context (encoded), stored only when its client had `tracing` on." },
  wt: { name: "watched", kind: "flag", meaning: "Somebody waits on its result: ending it publishes its id on the events channel." },
} as const satisfies Record<string, FieldSpec>;

/** A job record field's code, as the scripts write it. */
export type JobFieldCode = keyof typeof JOB_RECORD_FIELDS;

/** The TypeScript type a field of each kind decodes to. */
interface KindTypes {
  text: string;
  number: number;
  time: Date;
  flag: boolean;
  state: JobState;
  json: unknown;
  payload: string | Buffer;
}

type Fields = typeof JOB_RECORD_FIELDS;

/**
 * A decoded job record: each field by name, absent when the record leaves it out (or holds text its
 * kind cannot read, such as a garbled number). `name` is always there: a hash without it is no job.
 */
export type JobRecord = { readonly name: string } & {
  readonly [C in JobFieldCode as Fields[C]["name"]]?: KindTypes[Fields[C]["kind"]];
};
