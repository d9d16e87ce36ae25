/**
 * A job as an operator sees it, from its decoded record (store/job-record.ts), its payload, its
 * error list and its logs.
 */
import type { AttemptError } from "../errors.js";
import { readAttemptErrors } from "../client/stored-attempt-error.js";
import { PRIORITIES, type Priority } from "../options.js";
import { payloadAsJson, type StoredPayload } from "../payload/envelope.js";
import type { JobRecord, JobState } from "../store/index.js";

/** The fields shown in job lists. Times are Redis time. */
export interface JobSummary {
  /** The job's id, unique in its queue. */
  id: string;
  /** The job's queue. */
  queue: string;
  /** Its queue's Redis key prefix: a queue is known by prefix and name. */
  prefix: string;
  /** The job type's name. */
  name: string;
  /** Where the job is in its life now. */
  state: JobState;
  /** Its priority now (an operator may have changed it). */
  priority: Priority;
  /** Runs started so far (the current one included). */
  attempts: number;
  /** Runs before it is dead-lettered. */
  maxAttempts: number;
  /** When it was enqueued. */
  createdAt: Date;
  /** When its latest run started. */
  startedAt?: Date;
  /** When it completed, died or was cancelled. */
  finishedAt?: Date;
  /** When a delayed job or a retry comes due. */
  dueAt?: Date;
  /** The worker holding or last holding the job. */
  workerId?: string;
}

/** Everything about one job. */
export interface JobDetail extends JobSummary {
  /** Parsed payload (a msgpack or compressed one decoded); the raw string when it is not JSON. */
  payload: unknown;
  /** Payload schema version. */
  version: number;
  /** The enqueue's override of the job type's timeout, when it gave one. */
  timeoutMs?: number;
  /** Parsed result of a completed job. */
  result?: unknown;
  /** The last value the handler passed to `ctx.progress()`. */
  progress?: unknown;
  /** Every failed attempt, oldest first. */
  errors: AttemptError[];
  /** `ctx.log()` lines, oldest first (the last 1 000). */
  logs: string[];
  /**
   * The trace context its producer stored when tracing (W3C `traceparent`, and `tracestate` when
   * there was one): which trace the job's spans belong to.
   */
  traceContext?: Record<string, string>;
}

/**
 * A record's summary; a field the record leaves out (or garbled) reads as its default. A state no
 * script writes (hand-written data) reads as `waiting`, like a record without one.
 */
export function toSummary(queue: { readonly name: string; readonly prefix: string }, id: string, record: JobRecord): JobSummary {
  return {
    id,
    queue: queue.name,
    prefix: queue.prefix,
    name: record.name,
    state: record.state ?? "waiting",
    priority: PRIORITIES[record.priority ?? 2] ?? "normal",
    attempts: record.attempts ?? 0,
    maxAttempts: record.maxAttempts ?? 0,
    createdAt: record.createdAt ?? new Date(0),
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    dueAt: record.dueAt,
    workerId: record.workerId,
  };
}

/**
 * `payload` is the queue's `data` hash entry of the job; a cancelled job, or one written before that
 * layout, keeps it in its record.
 */
export function toDetail(summary: JobSummary, record: JobRecord, payload: StoredPayload | null, errors: string[], logs: string[]): JobDetail {
  const stored = payload ?? record.payload;
  return {
    ...summary,
    payload: stored === undefined ? undefined : readPayload(stored),
    version: record.version ?? 1,
    timeoutMs: record.timeoutMs,
    result: record.result,
    progress: record.progress,
    errors: readAttemptErrors(errors),
    logs,
    ...(record.traceContext === undefined ? {} : { traceContext: readTraceContext(record.traceContext) }),
  };
}

/** The stored trace context's string fields; one that is not a JSON object (written by hand) shows as `{ raw }`. */
function readTraceContext(stored: string): Record<string, string> {
  const value = parseJson(stored);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { raw: stored };
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** The payload, decoded; an envelope that cannot be decoded is shown as a note, never thrown. */
function readPayload(stored: StoredPayload): unknown {
  try {
    return parseJson(payloadAsJson(stored));
  } catch (error) {
    return `unreadable payload: ${(error as Error).message}`;
  }
}

/** Stored JSON, parsed; a value that is not JSON (hand-written data) is shown as the raw string. */
function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
