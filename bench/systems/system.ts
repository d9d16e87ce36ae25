/**
 * What every workload needs from a job system, and nothing more: the three systems under test sit
 * behind this one interface, so a workload is written once and cannot favour one of them.
 */

export type SystemId = "taskq" | "bullmq" | "bee";

export const SYSTEM_IDS: readonly SystemId[] = ["taskq", "bullmq", "bee"];

/**
 * The three job types of the bench. `noop` does nothing; `flaky` fails its first attempt when its body
 * is marked (see body.ts) and is retried after a fixed 10 ms backoff, at most 2 attempts; `io` carries
 * a 1 KB body and awaits 1 ms (body.ts `awaitIo`), as a handler calling another service does.
 */
export type JobKind = "noop" | "flaky" | "io";

/** Options of a bulk enqueue that some workloads set. */
export interface BulkOptions {
  /** Every job waits this long before it may run (a delayed job). (Default: none) */
  readonly delayMs?: number;
}

export interface WorkerHooks {
  /** Called when a handler starts, with the job's body. (Default: none) */
  started?: (body: string) => void;
  /** Called once per job whose successful completion Redis has acknowledged. */
  completed(): void;
}

export interface BenchWorker {
  /** Stops fetching, lets running jobs finish, and closes the worker's connections. */
  close(): Promise<void>;
}

export interface BenchSystem {
  readonly id: SystemId;
  /** Name and version, e.g. `BullMQ 6.7.0`. */
  readonly label: string;
  /** SCAN patterns that cover every Redis key this system writes. */
  readonly keyPatterns: readonly string[];
  /** Enqueues one job and waits until Redis has it. */
  enqueue(kind: JobKind, body: string): Promise<void>;
  /** Enqueues jobs with the system's own bulk call (one call; the workloads chunk). */
  enqueueBulk(kind: JobKind, bodies: readonly string[], options?: BulkOptions): Promise<void>;
  /** Starts a worker on the bench queue in this process; resolves once it is fetching. */
  startWorker(concurrency: number, hooks: WorkerHooks): Promise<BenchWorker>;
  /** Closes the producer's connections. */
  close(): Promise<void>;
}

/** Opens a system's producer against one Redis; each measurement opens a fresh one. */
export type OpenSystem = (redisUrl: string) => Promise<BenchSystem>;
