/**
 * The option types of jobs.ts live in `contract/` (shared with the code generator); this module adds the
 * options of one enqueue.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- named by {@link}s below
import type { JobOptions } from "./contract/job-options.js";
import type { Priority } from "./contract/priorities.js";

export { PRIORITIES, DEFAULT_PRIORITY_WEIGHTS, type Priority } from "./contract/priorities.js";
export { type Backoff, type BackoffFunction } from "./contract/backoff.js";
export type { RateLimit } from "./contract/rate-limit.js";
export type { QueueOptions } from "./contract/queue-options.js";
export { DEFAULT_JOB_OPTIONS, type JobOptions } from "./contract/job-options.js";

/**
 * Options of one enqueue, overriding the job type's. Checked before anything is written: a value out
 * of its bounds, or an unknown option, is refused with a `ValidationError` naming it.
 */
export interface EnqueueOptions {
  /** (Default: the job type's, see {@link JobOptions.priority}) */
  priority?: Priority;
  /** Run no sooner than this many milliseconds from now: finite, from 0. (Default: at once) */
  delayMs?: number;
  /** Run no sooner than this time: a valid Date. (Default: at once) */
  runAt?: Date;
  /**
   * Idempotency key: the same id never makes a second job; its enqueue returns the first. 1 to 128 of
   * A-Z a-z 0-9 . _ : -, not digits only and not starting with `s:` (taskq's own ids: counted ids, a
   * schedule's firings). (Default: a counted id)
   */
  jobId?: string;
  /** Jobs of the same queue that must complete first (handles or ids). */
  dependsOn?: Array<
    | {
        /** The parent job's id. */
        id: string;
        /** The parent's queue; must be this job's queue. (Default: this job's queue) */
        queue?: string;
      }
    | string
  >;
  /** What a dead or cancelled parent does to this job: fail it too, or count as done. (Default: "fail") */
  onParentFailure?: "fail" | "ignore";
  /** Runs before the job is dead-lettered: a whole number from 1 to 1,000,000. (Default: the job type's, see {@link JobOptions.attempts}) */
  attempts?: number;
  /**
   * Hard limit of one attempt, in ms: above 0 and at most 2^31 - 1 (what a timer holds). (Default: the
   * job type's, see {@link JobOptions.timeoutMs})
   */
  timeoutMs?: number;
  /**
   * Acknowledge the enqueue only once a replica holds the job. Redis replicates asynchronously: a
   * master that dies a few milliseconds after writing can take an acknowledged job with it, and the
   * promoted replica never saw it. With `durable`, the enqueue is followed on the same connection by
   * `WAIT <replicas> <timeoutMs>`; if fewer replicas confirm in time the call rejects with a
   * `TaskqError` of code `E_NOT_DURABLE` (the job may still exist: enqueue again with the same `jobId`
   * to be sure). `true` means `{ replicas: 1, timeoutMs: 1000 }`. Costs one replication round trip,
   * and blocks that connection's other commands meanwhile. A bulk is durable when any item asks.
   * (Default: false)
   */
  durable?:
    | boolean
    | {
        /** Replicas that must hold the job. (Default: 1) */
        replicas?: number;
        /** Longest wait for them. (Default: 1000) */
        timeoutMs?: number;
      };
}
