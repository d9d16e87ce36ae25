/**
 * Runs one leased job's handler and turns what happened into an outcome for the Redis scripts:
 * return → completed; PermanentError, an undecodable payload or an unknown job name → dead at once;
 * RateLimitError → released, attempt not counted; any other throw or a timeout → retried with the
 * job's backoff while attempts remain, else dead.
 */
import { backoffDelayMs } from "../backoff.js";
import type { JobContext } from "../context.js";
import { jobOfQueue, type QueueRegistration } from "../definition.js";
import { DecodeError, PermanentError, RateLimitError, TimeoutError, type AttemptError } from "../errors.js";
import { upgradePayload } from "./upgrade-payload.js";
import type { LeasedJob } from "./leased-job.js";
import type { JobAbort } from "./job-abort.js";
import type { Backoff, BackoffFunction } from "../options.js";

/** What became of one run of a job, as the finishing scripts record it. */
export type Outcome = CompletedOutcome | FailedOutcome;

/** A run whose handler returned. */
export interface CompletedOutcome {
  /** The handler returned. */
  kind: "completed";
  /** The result encoded as JSON text, as stored. */
  result: string;
  /** The result as the handler returned it. */
  value: unknown;
}

/**
 * What became of a failed attempt: `retry` later (after `delayMs`), `dead`-lettered, or `release`d
 * back to the queue without counting the attempt (a `RateLimitError`, a shutdown).
 */
export interface FailedOutcome {
  /** Retried after `delayMs`, dead-lettered, or released back without counting the attempt. */
  kind: "retry" | "dead" | "release";
  /** The attempt's error, as the dead-letter queue keeps it. */
  error: AttemptError;
  /** Wait before the job can run again (0 for `dead`). */
  delayMs: number;
  /** What the handler threw. */
  cause: unknown;
}

/** Why a running job was aborted from outside its handler. */
export class ShutdownAbort extends Error {
  constructor() {
    super("the worker shut down before the job finished; it goes back to the queue");
  }
}

export class LeaseLostAbort extends Error {
  constructor() {
    super("the job's lease was lost (reclaimed after missed heartbeats)");
  }
}

/** Where a job's `ctx.log` and `ctx.progress` go, by job id: one per runner, shared by its jobs. */
export interface ContextSink {
  log(id: string, message: string): Promise<void>;
  progress(id: string, value: unknown): Promise<void>;
}

export interface RunJobInput {
  job: LeasedJob;
  queue: QueueRegistration;
  abort: JobAbort;
  context: ContextSink;
  now: () => number;
}

export async function runJob({ job, queue, abort, context, now }: RunJobInput): Promise<Outcome> {
  const entry = jobOfQueue(queue, job.name);
  if (!entry) return dead(job, new PermanentError(`no handler for job ${JSON.stringify(job.name)} in queue ${queue.name}`), now);
  const { definition, handler } = entry;

  let payload: unknown;
  try {
    payload = job.version === definition.version ? definition.payload.decode(job.payload) : await upgradePayload(definition, job.payload, job.version);
  } catch (error) {
    const reason = error instanceof DecodeError ? error.message : String(error);
    return dead(job, new DecodeError(`payload of ${job.name} does not decode: ${reason}`, [], { cause: error }), now);
  }

  const timeoutMs = job.timeoutMs ?? definition.timeoutMs;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => abort.abort(new TimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const ctx: JobContext = {
    id: job.id,
    name: job.name,
    queue: queue.name,
    attempt: job.attempt,
    get signal() {
      return abort.signal;
    },
    // Bound rather than arrow functions: a handler may destructure them (`{ log }`), and a transpiler
    // that keeps function names (tsx, esbuild) wraps every arrow assigned to a property in a
    // defineProperty call, a real cost per job.
    log: sinkLog.bind(context, job.id),
    progress: sinkProgress.bind(context, job.id),
  };

  try {
    const value: unknown = await abort.race(handler(payload, ctx));
    let result: string;
    try {
      result = definition.result.encode(value === undefined ? null : value, `result of ${job.name}`);
    } catch (error) {
      return dead(job, new PermanentError(`handler returned an invalid result: ${(error as Error).message}`, { cause: error }), now);
    }
    return { kind: "completed", result, value };
  } catch (thrown) {
    const error = abort.aborted && abort.reason instanceof Error ? abort.reason : thrown;
    return failed(job, error, definition.backoff, now, entry.backoff);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** What a failed run leads to: released (not the job's fault), retried after its backoff, or dead. */
function sinkLog(this: ContextSink, id: string, message: string): Promise<void> {
  return this.log(id, message);
}

function sinkProgress(this: ContextSink, id: string, value: unknown): Promise<void> {
  return this.progress(id, value);
}

export function failed(job: LeasedJob, error: unknown, backoff: Backoff, now: () => number, custom?: BackoffFunction): Outcome {
  if (error instanceof ShutdownAbort || error instanceof LeaseLostAbort) {
    return { kind: "release", error: describe(job, error, now), delayMs: 0, cause: error };
  }
  if (error instanceof RateLimitError) {
    return { kind: "release", error: describe(job, error, now), delayMs: Math.max(1, error.retryAfterMs), cause: error };
  }
  if (error instanceof PermanentError || job.attempt >= job.maxAttempts) return dead(job, error, now);
  let delayMs: number;
  try {
    delayMs = Math.max(1, backoffDelayMs(backoff, job.attempt, Math.random, custom, error));
  } catch (misconfigured) {
    // A custom backoff that is missing or throws must not lose the job: it is dead-lettered, with why.
    return dead(job, misconfigured, now);
  }
  return { kind: "retry", error: describe(job, error, now), delayMs, cause: error };
}

export function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

export function dead(job: LeasedJob, error: unknown, now: () => number): Outcome {
  return { kind: "dead", error: describe(job, error, now), delayMs: 0, cause: error };
}

function describe(job: LeasedJob, error: unknown, now: () => number): AttemptError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { attempt: job.attempt, name: e.name, message: e.message, stack: e.stack, at: now() };
}
