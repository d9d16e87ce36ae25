/**
 * What a handler receives beside its payload.
 *
 * @typeParam G - What the handler reports with `progress()`; a producer's `handle.progress()`
 * yields the same type. (Default: unknown, any JSON value)
 */
export interface JobContext<G = unknown> {
  /** The job's id, as `enqueue` returned it; stable across attempts. */
  readonly id: string;
  /** The job type's name. */
  readonly name: string;
  /** The queue the job was enqueued on. */
  readonly queue: string;
  /** 1-based: the first run is attempt 1. */
  readonly attempt: number;
  /** Aborts at the job's timeout, and at shutdown once the shutdown deadline has passed. */
  readonly signal: AbortSignal;
  /** Appends a line to the job's log, kept with the job record. */
  log(message: string): Promise<void>;
  /**
   * Records progress (a number 0..100 or any JSON value) on the job, and publishes it to whoever
   * follows the job (`handle.progress()`, `client.events()`).
   */
  progress(value: G): Promise<void>;
}

/** What a batch handler receives beside its payloads: one context for the whole batch. */
export interface BatchContext {
  /** The job ids, in the order of the payloads. */
  readonly ids: readonly string[];
  /** Each job's attempt (1-based), in the order of the payloads. */
  readonly attempts: readonly number[];
  /** The job type's name; the same for every job of the batch. */
  readonly name: string;
  /** The queue the batch was leased from. */
  readonly queue: string;
  /** Aborts at the job type's timeout, and at shutdown once the shutdown deadline has passed. */
  readonly signal: AbortSignal;
  /** Appends a line to the log of every job in the batch. */
  log(message: string): Promise<void>;
}
