/** The options a Worker takes (see worker.ts). */
import type { QueueRegistration } from "../definition.js";
import type { ConnectionOptions } from "../redis/connection.js";
import type { Middleware } from "../middleware/middleware.js";
import type { TracingOptions } from "../tracing/tracing-options.js";

/** Options of `new Worker(options)`; the generated `createWorker()` fills in `queues`. */
export interface WorkerOptions {
  /** Where Redis is. (Default: `TASKQ_REDIS_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379`) */
  connection?: ConnectionOptions;
  /** The queues to serve, with their handlers (the generated `createWorker` builds these). */
  queues: QueueRegistration[];
  /** Jobs run at once per queue, overriding each queue's own concurrency. (Default: the queue's) */
  concurrency?: number;
  /**
   * How long `close()` waits for running jobs before aborting them and giving them back (which takes
   * at most 1 s more, while Redis answers). It holds while Redis is unreachable too: what cannot be
   * written by then is left to lease expiry, and a TaskManager puts those jobs back in their queue.
   * (Default: 10 000 ms)
   */
  shutdownTimeoutMs?: number;
  /**
   * A worker silent this long is dead, and its running jobs are back in the queue by then: each
   * heartbeat leases them until `deadAfterMs - heartbeatMs` ahead. (Default: 10 000 ms)
   */
  deadAfterMs?: number;
  /** Interval between heartbeats. (Default: 1 000 ms, or a quarter of deadAfterMs when that is less) */
  heartbeatMs?: number;
  /** Run a TaskManager in this process. (Default: true) */
  taskManager?: boolean;
  /** Close gracefully on SIGTERM and SIGINT, for a worker that owns its process. (Default: false) */
  handleSignals?: boolean;
  /**
   * `before`/`after`/`onError` hooks around every job, outermost first (tracing, logging, enrichment).
   * (Default: none)
   */
  middleware?: ReadonlyArray<Middleware<any>>;
  /** Start fetching at once. (Default: true; else call `start()`) */
  autostart?: boolean;
  /**
   * OpenTelemetry tracing: a `process` span per attempt, a child of the span of the enqueue that made
   * the job (when its client traced), with the handler running inside it. Needs
   * `@opentelemetry/api` installed; `true` uses the global tracer provider and propagator.
   * (Default: off; nothing is loaded)
   */
  tracing?: boolean | TracingOptions;
}
