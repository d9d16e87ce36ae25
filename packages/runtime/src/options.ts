/** The five priorities, most urgent first. */
export const PRIORITIES = ["critical", "high", "normal", "low", "batch"] as const;
/** A job's priority: which waiting jobs a worker takes first (see {@link QueueOptions.priorities}). */
export type Priority = (typeof PRIORITIES)[number];

/** How long to wait before the next attempt after a failure. */
export type Backoff =
  | {
      /** Delays that double after each failed attempt. */
      type: "exponential";
      /** Delay before the 2nd attempt; doubles each attempt. */
      delayMs: number;
      /** Upper bound of one delay. (Default: none) */
      maxDelayMs?: number;
      /** Full jitter: a random delay between 0 and the computed one. (Default: false) */
      jitter?: boolean;
    }
  | {
      /** The same delay before every retry. */
      type: "fixed";
      /** Delay before each retry. */
      delayMs: number;
    }
  | {
      /** Delays computed by a function of yours. */
      type: "custom";
      /** A function exported from jobs.ts: `(attempt: number, error: unknown) => number` (ms). */
      name: string;
    };

/** A custom backoff: the delay in ms before the next attempt, after attempt `attempt` (1-based) failed. */
export type BackoffFunction = (attempt: number, error: unknown) => number;

/**
 * How often a job type may start, across all workers, on Redis time. Each limit holds in every window
 * of its length wherever that window starts (a sliding log of start times, not calendar windows): a
 * job over a limit waits in `delayed`, without a worker slot or an attempt, until the exact moment
 * the window allows. Limits are positive integers. (Default: each limit unset, no limit)
 */
export interface RateLimit {
  /** At most this many starts in any 1 s. */
  perSecond?: number;
  /** At most this many starts in any 60 s. */
  perMinute?: number;
  /** At most this many starts in any hour. */
  perHour?: number;
  /** At most this many starts in any 24 h. */
  perDay?: number;
  /** At least this long between two starts. */
  minIntervalMs?: number;
  /** A payload field path: one window per distinct value. */
  groupBy?: string;
}

/** Options of `@Queue(name, options)`. */
export interface QueueOptions {
  /** Jobs of this queue run at once per worker process. (Default: 1) */
  concurrency?: number;
  /** Redis key prefix. (Default: "taskq") */
  prefix?: string;
  /**
   * How the priorities share the workers: weights from critical to batch, served weighted-fair, or
   * "strict" (always the most urgent first). (Default: [16, 8, 4, 2, 1])
   */
  priorities?: "strict" | [number, number, number, number, number];
  /** "threads": run the handlers in worker_threads, for CPU-heavy jobs. (Default: the worker's own thread) */
  pool?: "threads";
  /**
   * Split the queue into this many key sets, each under its own Redis Cluster hash tag, so one hot
   * queue can use several masters. Workers fetch from every shard within the queue's concurrency.
   * Jobs of a sharded queue take no `rateLimit` (each shard would count on its own). (Default: 1)
   */
  shards?: number;
  /**
   * How payloads are stored: "msgpack" (MessagePack, binary, smaller) or "json" (readable in Redis).
   * Results stay JSON. Workers read either, so the setting can change with jobs in the queue. (Default: "json")
   */
  serializer?: "json" | "msgpack";
  /** Compress (Brotli) a serialized payload larger than this many bytes. (Default: never) */
  compressAboveBytes?: number;
}

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

export const DEFAULT_JOB_OPTIONS = {
  priority: "normal" as Priority,
  attempts: 3,
  backoff: { type: "exponential", delayMs: 60_000 } as Backoff,
  keepResultMs: 24 * 60 * 60 * 1000,
  version: 1,
};

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
