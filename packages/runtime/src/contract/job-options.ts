import { DEFAULT_BACKOFF_DELAY_MS, type Backoff } from "./backoff.js";
import type { Assert, ListsEvery } from "./exhaustive.js";
import type { Priority } from "./priorities.js";
import type { RateLimit } from "./rate-limit.js";

/** Options of `@Job(options)`. */
export interface JobOptions {
  /** The job's name. (Default: the method name) */
  name?: string;
  /** (Default: "normal") */
  priority?: Priority;
  /** Runs before the job is dead-lettered. (Default: 3) */
  attempts?: number;
  /** (Default: exponential, 60 000 ms: 1, 2, 4 min) */
  backoff?: Backoff;
  /** Hard limit of one attempt; `ctx.signal` aborts and the attempt fails. (Default: none) */
  timeoutMs?: number;
  /** How often jobs of this type may start, across all workers. Refused on a sharded queue. (Default: no limit) */
  rateLimit?: RateLimit;
  /**
   * At most one job per key: a duplicate enqueue (also within one bulk, and under concurrency) returns
   * the existing job instead of making a second. (Default: none)
   */
  unique?: {
    /** `"payload"` (the whole payload is the key) or a payload field path (`"user.id"`). */
    by: string;
    /** How long the key holds after the enqueue. (Default: until the job ends) */
    ttlMs?: number;
  };
  /** Payload schema version. (Default: 1) */
  version?: number;
  /** How long results and finished job records are kept. (Default: 24 h) */
  keepResultMs?: number;
  /**
   * Hand the handler up to `size` payloads at once (its first parameter is an array), waiting at most
   * `waitMs` to fill a batch; it returns one result or Error per payload. (Default: one at a time)
   */
  batch?: {
    /** Most payloads in one call. */
    size: number;
    /** Longest wait for a batch to fill before the handler runs with what there is. */
    waitMs: number;
  };
}

/** Every key of {@link JobOptions}, in the order a manifest lists them. */
export const JOB_OPTION_KEYS = ["name", "priority", "attempts", "backoff", "timeoutMs", "rateLimit", "unique", "version", "keepResultMs", "batch"] as const;
type _JobOptionKeys = Assert<ListsEvery<keyof JobOptions, typeof JOB_OPTION_KEYS>>;

/** The options every job has a value for: {@link DEFAULT_JOB_OPTIONS} fills in those a job leaves out. */
export type DefaultedJobOption = "priority" | "attempts" | "backoff" | "keepResultMs" | "version";

/** The values of the options a job leaves out (see each option of {@link JobOptions}). */
export const DEFAULT_JOB_OPTIONS: Readonly<Required<Pick<JobOptions, DefaultedJobOption>>> = Object.freeze({
  priority: "normal",
  attempts: 3,
  backoff: Object.freeze({ type: "exponential", delayMs: DEFAULT_BACKOFF_DELAY_MS }),
  keepResultMs: 24 * 60 * 60 * 1000,
  version: 1,
});

/** Most `attempts` of one job. */
export const MAX_ATTEMPTS = 1_000_000;
/** Longest `timeoutMs`: what a Node.js timer holds (a longer one fires at once). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
