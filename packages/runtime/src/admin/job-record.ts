/**
 * A job as an operator sees it, read from its record (`job:<id>` hash), its error list and its logs.
 * The hash's short field names are the runtime's storage format; this file is the one place that
 * turns them into named, typed fields.
 */
import type { AttemptError } from "../errors.js";
import { readAttemptErrors } from "../client/stored-attempt-error.js";
import { PRIORITIES, type Priority } from "../options.js";
import type { JobState } from "../client/job-handle.js";
import { payloadAsJson, type StoredPayload } from "../payload/envelope.js";

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
}

/** The hash fields a summary needs, in the order `toSummary` reads them. */
export const SUMMARY_FIELDS = ["n", "s", "p", "a", "m", "ct", "st", "fin", "da", "w"] as const;

export function toSummary(queue: { readonly name: string; readonly prefix: string }, id: string, f: Array<string | null>): JobSummary | undefined {
  const [name, state, priority, attempts, maxAttempts, createdAt, startedAt, finishedAt, dueAt, workerId] = f;
  if (name === null) return undefined;
  return {
    id,
    queue: queue.name,
    prefix: queue.prefix,
    name,
    // A new job's record leaves its state out: waiting.
    state: (state ?? "waiting") as JobState,
    priority: PRIORITIES[Number(priority ?? 2)] ?? "normal",
    attempts: Number(attempts ?? 0) || 0,
    maxAttempts: Number(maxAttempts ?? 0) || 0,
    createdAt: time(createdAt) ?? new Date(0),
    startedAt: time(startedAt),
    finishedAt: time(finishedAt),
    dueAt: time(dueAt),
    workerId: workerId ?? undefined,
  };
}

/** `payload` is the queue's `data` hash entry of the job; records written before that layout hold it in `d`. */
export function toDetail(summary: JobSummary, hash: Record<string, string>, payload: StoredPayload | null, errors: string[], logs: string[]): JobDetail {
  const stored = payload ?? hash.d;
  return {
    ...summary,
    payload: stored === undefined ? undefined : readPayload(stored),
    version: Number(hash.v ?? 1),
    timeoutMs: hash.t === undefined ? undefined : Number(hash.t),
    result: hash.r === undefined ? undefined : parseJson(hash.r),
    progress: hash.pg === undefined ? undefined : parseJson(hash.pg),
    errors: readAttemptErrors(errors),
    logs,
  };
}

/** A stored time; a missing or garbled one (not a number) is undefined, never an Invalid Date that throws when printed. */
function time(value: string | null | undefined): Date | undefined {
  const ms = value === null || value === undefined || value === "" ? NaN : Number(value);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
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
function parseJson(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
