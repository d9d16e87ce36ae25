// Job types and queues as the generated code declares them to the runtime (the client and the worker).
import type { Codec } from "./codec.js";
import { ConfigError, excerpt } from "./errors.js";
import { MAX_ATTEMPTS, MAX_TIMEOUT_MS } from "./client/enqueue-options.js";
import type { Backoff, BackoffFunction, Priority, RateLimit } from "./options.js";
import type { JobContext } from "./context.js";
import type { ThreadPoolOptions } from "./worker/thread-pool.js";
import type { QueueDefinition } from "./queue-definition.js";

/**
 * A job type as the generated code declares it to the runtime: its queue, its options with every
 * default filled in, and the codecs of its payload and result. `taskq generate` emits one per `@Job`;
 * the client enqueues by it and the worker runs by it, so both agree on every option.
 *
 * @typeParam P - The payload type.
 * @typeParam R - The result type (`void` when the handler returns nothing).
 */
export interface JobDefinition<P = unknown, R = unknown> {
  /** The job type's name, unique in its queue. */
  readonly name: string;
  /**
   * The queue its jobs are enqueued on: its prefix, name, shards and payload storage, declared once
   * by `defineQueue` and shared by every job type of the queue.
   */
  readonly queue: QueueDefinition;
  /** Priority of a job enqueued without one. */
  readonly priority: Priority;
  /** Runs before a job is dead-lettered. */
  readonly attempts: number;
  /** Delay before each retry. */
  readonly backoff: Backoff;
  /** Hard limit of one attempt. (Default: none) */
  readonly timeoutMs?: number;
  /** How long results and finished job records are kept. */
  readonly keepResultMs: number;
  /** The payload schema version new jobs are written at. */
  readonly version: number;
  /** How often jobs of this type may start, across all workers. (Default: no limit) */
  readonly rateLimit?: RateLimit;
  /** At most one job per key (see {@link JobOptions.unique}). (Default: none) */
  readonly unique?: {
    /** `"payload"` or a payload field path. */
    readonly by: string;
    /** How long the key holds after the enqueue. (Default: until the job ends) */
    readonly ttlMs?: number;
  };
  /**
   * Hands the handler up to `size` payloads at once, waiting at most `waitMs` to fill a batch. The
   * handler returns one entry per payload: its result, or an Error for that item alone.
   */
  readonly batch?: {
    /** Most payloads in one call. */
    readonly size: number;
    /** Longest wait for a batch to fill. */
    readonly waitMs: number;
  };
  /** Validates payloads before they are written, and decodes them when a worker reads them. */
  readonly payload: Codec<P>;
  /** Validates results before they are stored, and decodes them for `result()`. */
  readonly result: Codec<R>;
  /**
   * How a worker reads payloads stored at an older `version`, by that version: its codec, and the
   * function that lifts it one version up. The generated worker fills this in from the
   * `upgradeXVn` functions of jobs.ts; producers leave it out. (Default: none: only `version` decodes)
   */
  readonly upgrades?: Readonly<Record<number, PayloadUpgrade>>;
}

/** One link of a job's upgrade chain: version n's codec, and n → n + 1. */
export interface PayloadUpgrade {
  /** Decodes a payload stored at this version. */
  readonly payload: Codec<any>;
  /** Lifts a decoded payload of this version to the next one. */
  readonly upgrade: (payload: any) => unknown;
}

/**
 * Refuses a job type whose options are out of the bounds an enqueue's are held to (see
 * client/enqueue-options.ts): a definition can be written by hand, and a `timeoutMs` of 2^31 fires
 * at once in every worker. Checked once per job type by the client and the worker.
 */
export function assertJobDefinition(definition: JobDefinition<any, any>): void {
  const { name, attempts, version, timeoutMs, queue } = definition;
  const wrong = (what: string) => new ConfigError(`job type ${JSON.stringify(excerpt(String(name)))}: ${what}`);
  // Code generated before queues were declared once names the queue by a string: say how to fix it.
  if (typeof queue !== "object" || queue === null)
    throw wrong(
      `queue must be a queue declared by defineQueue({ prefix, name, ... }), got ${typeof queue === "string" ? JSON.stringify(excerpt(queue)) : String(queue)}: regenerate the code with \`taskq generate\``,
    );
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS)
    throw wrong(`attempts must be a whole number from 1 to ${MAX_ATTEMPTS}, got ${attempts}`);
  if (!Number.isInteger(version) || version < 1) throw wrong(`version must be a whole number from 1, got ${version}`);
  if (timeoutMs !== undefined && !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS))
    throw wrong(`timeoutMs must be above 0 and at most ${MAX_TIMEOUT_MS} (what a timer holds), got ${timeoutMs}`);
}

/**
 * Declares a job type; a typed identity, so the generated code states its P and R once.
 *
 * @internal For generated code, from `@taskq/runtime/internal`.
 */
export function defineJob<P, R>(definition: JobDefinition<P, R>): JobDefinition<P, R> {
  return Object.freeze(definition);
}

/** Runs one job: gets its decoded payload and context, returns (or resolves to) its result; a throw fails the attempt. */
export type Handler<P = any, R = any> = (payload: P, ctx: JobContext) => Promise<R> | R;

/** One queue as a worker serves it: its jobs with their handlers. */
export interface QueueRegistration {
  /** The queue's name. */
  readonly name: string;
  /** Redis key prefix of the queue. */
  readonly prefix: string;
  /** Jobs run at once for this queue in one worker process, across all its shards. */
  readonly concurrency: number;
  /**
   * The queue's number of shards; a worker fetches from every one. (Default: the `shards` of the
   * queue its job definitions point at, else 1)
   */
  readonly shards?: number;
  /**
   * How priorities share the workers: weights from critical to batch, served weighted-fair, or
   * "strict" (always the most urgent first). (Default: [16, 8, 4, 2, 1])
   */
  readonly priorities?: "strict" | readonly number[];
  /**
   * Run this queue's handlers in `worker_threads` (for CPU-heavy jobs): a module exporting
   * `createHandlers()`, and the number of threads. (Default: in the worker's own thread)
   */
  readonly pool?: ThreadPoolOptions;
  /** The queue's job types by name; a job of a name not here is failed as unknown. */
  readonly jobs: Record<string, QueueJob>;
}

/** One job type of a queue as a worker serves it. */
export interface QueueJob {
  /** The job type. */
  readonly definition: JobDefinition<any, any>;
  /** What runs each job of the type. */
  readonly handler: Handler;
  /** Computes retry delays when `definition.backoff` is `custom`. */
  readonly backoff?: BackoffFunction;
}

/**
 * A queue's job type by name, from its own entries only. Names come from job records, which anyone
 * with Redis access can write: a record named `__proto__` or `constructor` must find no job rather
 * than Object.prototype or Object.
 */
export function jobOfQueue(queue: QueueRegistration, name: string): QueueJob | undefined {
  return Object.hasOwn(queue.jobs, name) ? queue.jobs[name] : undefined;
}
