/**
 * Middleware around each job run, for tracing, logging and enrichment (the seeds' TaskExecutor
 * hooks): `before` the handler, `after` it returned, `onError` when it threw. Typed by job name: with
 * a generated `JobMap`, narrowing `call.name` narrows `call.payload` and `result` to that job's types.
 *
 * Middlewares nest like an onion: for `[a, b]` the order is a.before, b.before, handler, b.after,
 * a.after; on a throw, b.onError then a.onError, and the error goes on to the worker unchanged (so
 * retries and dead-lettering are not affected). A throw inside a hook is the job's error: a
 * `before` that throws skips the handler and fails the attempt.
 */
import type { JobContext } from "../context.js";

/** Job types by name, as a generated client's `JobMap` declares them. */
export type JobTypes<M> = { [N in keyof M]: { payload: unknown; result: unknown } };

/** One run of a job, as `before` sees it: a union over the job names, discriminated by `name`. */
export type JobCall<M extends JobTypes<M>> = {
  [N in keyof M & string]: { name: N; queue: string; payload: M[N]["payload"]; ctx: JobContext };
}[keyof M & string];

/** A run whose handler returned: `result` is that job's result type. */
export type JobSuccess<M extends JobTypes<M>> = {
  [N in keyof M & string]: { name: N; queue: string; payload: M[N]["payload"]; ctx: JobContext; result: M[N]["result"] };
}[keyof M & string];

/** A run whose handler (or an inner hook) threw. */
export type JobFailure<M extends JobTypes<M>> = JobCall<M> & { error: unknown };

/** Untyped job names, for middleware that serves any worker. */
export type AnyJobs = Record<string, { payload: unknown; result: unknown }>;

export interface Middleware<M extends JobTypes<M> = AnyJobs> {
  /** Runs before the handler, with the decoded payload. (Default: none) */
  before?(call: JobCall<M>): void | Promise<void>;
  /** Runs after the handler returned, with its result. (Default: none) */
  after?(call: JobSuccess<M>): void | Promise<void>;
  /** Runs when the handler threw (or timed out); the error is rethrown after. (Default: none) */
  onError?(call: JobFailure<M>): void | Promise<void>;
}
