// Middleware around each job run (the seeds' TaskExecutor hooks), typed by job name.
import type { JobContext } from "../context.js";

/** Job types by name, as a generated client's `JobMap` declares them. */
export type JobTypes<M> = {
  [N in keyof M]: {
    /** The job's payload type. */
    payload: unknown;
    /** The job's result type. */
    result: unknown;
  };
};

/** One run of a job, as `before` sees it: a union over the job names, discriminated by `name`. */
export type JobCall<M extends JobTypes<M>> = {
  [N in keyof M & string]: {
    /** The job type; narrowing it narrows `payload`. */
    name: N;
    /** The queue the job ran from. */
    queue: string;
    /** The decoded payload. */
    payload: M[N]["payload"];
    /** The context the handler gets. */
    ctx: JobContext;
  };
}[keyof M & string];

/** A run whose handler returned: `result` is that job's result type. */
export type JobSuccess<M extends JobTypes<M>> = {
  [N in keyof M & string]: {
    /** The job type; narrowing it narrows `payload` and `result`. */
    name: N;
    /** The queue the job ran from. */
    queue: string;
    /** The decoded payload. */
    payload: M[N]["payload"];
    /** The context the handler got. */
    ctx: JobContext;
    /** What the handler returned. */
    result: M[N]["result"];
  };
}[keyof M & string];

/** A run whose handler (or an inner hook) threw. */
export type JobFailure<M extends JobTypes<M>> = JobCall<M> & {
  /** What was thrown; it goes on to the worker unchanged after every `onError`. */
  error: unknown;
};

/** Untyped job names, for middleware that serves any worker. */
export type AnyJobs = Record<
  string,
  {
    /** Any payload. */
    payload: unknown;
    /** Any result. */
    result: unknown;
  }
>;

/**
 * Middleware around each job run, for tracing, logging and enrichment: `before` the handler, `after` it
 * returned, `onError` when it threw. Typed by job name: with a generated `JobMap`, narrowing `call.name`
 * narrows `call.payload` and `result` to that job's types.
 *
 * Middlewares nest like an onion: for `[a, b]` the order is a.before, b.before, handler, b.after,
 * a.after; on a throw, b.onError then a.onError, and the error goes on to the worker unchanged (so
 * retries and dead-lettering are not affected). A throw inside a hook is the job's error: a
 * `before` that throws skips the handler and fails the attempt.
 *
 * @typeParam M - The job types by name (a generated `JobMap`), or {@link AnyJobs}.
 */
export interface Middleware<M extends JobTypes<M> = AnyJobs> {
  /** Runs before the handler, with the decoded payload. (Default: none) */
  before?(call: JobCall<M>): void | Promise<void>;
  /** Runs after the handler returned, with its result. (Default: none) */
  after?(call: JobSuccess<M>): void | Promise<void>;
  /** Runs when the handler threw (or timed out); the error is rethrown after. (Default: none) */
  onError?(call: JobFailure<M>): void | Promise<void>;
}
