/**
 * Runs one job's handler as a worker would, without Redis: the payload goes through the job's codec
 * both ways (encoded as an enqueue would, decoded as a worker does), the middleware wraps the handler,
 * and `runJob` (the worker's own code) turns what happened into the outcome the worker would record.
 */
import type { Handler, JobDefinition, QueueRegistration } from "../definition.js";
import type { BackoffFunction } from "../options.js";
import type { Middleware } from "../middleware/middleware.js";
import { applyMiddleware } from "../middleware/apply-middleware.js";
import { JobAbort } from "../worker/job-abort.js";
import { runJob, type ContextSink } from "../worker/run-job.js";
import { ConfigError } from "../errors.js";

/** Options of {@link perform}. */
export interface PerformOptions<P, R> {
  /** Runs the job: typically a method of the app's `@Queue` class, `(p, ctx) => jobs.tweet(p, ctx)`. */
  handler: Handler<P, R>;
  /** The run's 1-based attempt, as `ctx.attempt` shows it and the retry decision counts it. (Default: 1) */
  attempt?: number;
  /** Aborting it aborts the run as a timeout does: `ctx.signal` aborts with its reason. (Default: none) */
  signal?: AbortSignal;
  /** Hooks around the handler, as `WorkerOptions.middleware` takes them. (Default: none) */
  middleware?: ReadonlyArray<Middleware<any>>;
  /** The job's id, as `ctx.id` shows it. (Default: `"perform-1"`, counted up per call) */
  id?: string;
  /** Overrides the job type's `timeoutMs`, as an enqueue's `timeoutMs` does. (Default: the job type's) */
  timeoutMs?: number;
  /** Computes retry delays of a job type whose backoff is `custom`. (Default: none) */
  backoff?: BackoffFunction;
}

/** What a run led to and what the handler reported on the way (as {@link perform} returns it). */
export type PerformResult<R> = PerformCompleted<R> | PerformFailed;

/** What every {@link PerformResult} carries. */
export interface PerformReport {
  /** Each `ctx.log()` line, in order. */
  logs: string[];
  /** Each `ctx.progress()` value, in order. */
  progress: unknown[];
}

/** The handler returned: the job would be completed. */
export interface PerformCompleted<R> extends PerformReport {
  /** The job is completed. */
  outcome: "completed";
  /** The result as `handle.result()` would resolve to it: encoded and decoded by the result codec. */
  result: R;
}

/**
 * The attempt failed: the job would be retried after `delayMs`, dead-lettered (a `PermanentError`, the
 * last attempt, an invalid result), or released without counting the attempt (a `RateLimitError`).
 */
export interface PerformFailed extends PerformReport {
  /** What the worker would do with the job. */
  outcome: "retry" | "dead" | "release";
  /** What the handler threw (or the `TimeoutError` of a timeout). */
  error: unknown;
  /** The wait before the job runs again: the backoff of a retry, a `RateLimitError`'s delay; 0 when dead. */
  delayMs: number;
}

let performed = 0;

/**
 * Runs one job of type `definition` through its codec, the middleware and a real `JobContext`, and
 * returns what the worker would have recorded, with the logs and progress the handler reported.
 * Nothing touches Redis. A payload the codec refuses rejects with `ValidationError`, as an enqueue
 * does, before the handler runs; a batch job (`batch` in its options) rejects with `ConfigError`.
 *
 * @typeParam P - The payload type, from the definition: a wrong payload does not compile.
 * @typeParam R - The result type.
 * @param definition - The job type: a member of the generated `definitions`, e.g. `definitions.tweet`.
 * @param payload - The payload, as the app would enqueue it.
 */
export async function perform<P, R>(definition: JobDefinition<P, R>, payload: P, options: PerformOptions<P, R>): Promise<PerformResult<R>> {
  if (definition.batch) {
    // A batch handler takes an array of payloads and returns one entry per item: not this call's shape.
    throw new ConfigError(`job ${definition.name} is a batch job: call its handler with an array of payloads and a BatchContext, or drain() a worker`);
  }
  const id = options.id ?? `perform-${++performed}`;
  const stored = definition.payload.encodeAs(definition.queue, payload, `payload of ${definition.name}`);
  const declared: QueueRegistration = {
    name: definition.queue.name,
    prefix: definition.queue.prefix,
    concurrency: 1,
    jobs: { [definition.name]: { definition, handler: options.handler as Handler, backoff: options.backoff } },
  };
  const [queue] = applyMiddleware([declared], options.middleware ?? []);
  const logs: string[] = [];
  const progress: unknown[] = [];
  const context: ContextSink = {
    async log(_id, message) {
      logs.push(message);
    },
    async progress(_id, value) {
      // Stored as JSON by a worker: a value that does not serialize fails here as it would there.
      progress.push(JSON.parse(JSON.stringify(value ?? null)));
    },
  };
  const abort = new JobAbort();
  const signal = options.signal;
  const onAbort = () => abort.abort(signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason)));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const now = Date.now();
  try {
    const outcome = await runJob({
      job: {
        id,
        token: "perform",
        name: definition.name,
        payload: stored,
        version: definition.version,
        attempt: options.attempt ?? 1,
        maxAttempts: definition.attempts,
        timeoutMs: options.timeoutMs,
        createdAt: now,
        startedAt: now,
      },
      queue,
      abort,
      context,
      now: Date.now,
    });
    if (outcome.kind === "completed") return { outcome: "completed", result: definition.result.decode(outcome.result), logs, progress };
    return { outcome: outcome.kind, error: outcome.cause, delayMs: outcome.delayMs, logs, progress };
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}
