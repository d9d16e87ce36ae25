/** What a Worker's job events carry (see the `on` overloads in worker.ts). */
import type { LeasedJob } from "./leased-job.js";
import type { FailedOutcome } from "./run-job.js";

/** What a worker's job events carry: the job as it was leased, and its queue. */
export interface JobEvent {
  /** The queue the job ran from. */
  queue: string;
  /** The job as the worker leased it. */
  job: LeasedJob;
}

/** A `completed` event: the job and the decoded value its handler returned. */
export interface JobCompletedEvent extends JobEvent {
  /** What the handler returned, as the result codec decoded it. */
  result: unknown;
}

export type { FailedOutcome } from "./run-job.js";

/** A `failed` event: the job and what became of its attempt (`error.kind`, `error.error.message`). */
export interface JobFailedEvent extends JobEvent {
  /** The attempt's outcome. */
  error: FailedOutcome;
}
