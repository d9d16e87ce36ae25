// A worker's job metrics (instrumentWorker).
import { DEFAULT_PREFIX } from "../queue-definition.js";
import { Gauge } from "prom-client";
import type { Worker } from "../worker/worker.js";
import type { LeasedJob } from "../worker/leased-job.js";
import { Monitor } from "../monitor/monitor.js";
import { connect, type ConnectionOptions, type OwnedConnection } from "../redis/connection.js";
import type { RedisClient } from "../redis/connection.js";
import { createJobMetrics, type FinishOutcome, type JobMetrics } from "./job-metrics.js";
import { BoundedLabel, secondsBetween } from "./bounded-labels.js";

/** Options of {@link instrumentWorker}. */
export interface WorkerMetricsOptions {
  /** Where to read start times and heartbeats. (Default: `TASKQ_REDIS_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379`) */
  connection?: ConnectionOptions | RedisClient;
  /** The queues the worker serves, with their key prefix. (Default prefix: `taskq`) */
  queues: Array<{
    /** The queue's name. */
    name: string;
    /** Its Redis key prefix. (Default: "taskq") */
    prefix?: string;
  }>;
  /** The metrics to record into. (Default: new ones on a new Registry) */
  metrics?: JobMetrics;
  /** The job names the worker runs: the only `job` label values; any other name is `other`. (Default: the first 100 names seen) */
  jobs?: string[];
}

/** The job metrics a worker feeds, plus its busy ratio; close it with the worker. */
export interface WorkerMetrics extends JobMetrics {
  /** Stops listening and closes the connection taskq opened. */
  close(): Promise<void>;
}

/**
 * Feeds a Worker's outcomes into the job metrics by listening to its events (`completed`, `failed`,
 * `lost`), so the worker itself knows nothing of Prometheus, and adds `taskq_worker_busy_ratio` for
 * this worker, read from its heartbeat record when scraped.
 *
 * Wait and duration come from the job's `createdAt` and `startedAt` (both Redis time, carried by the
 * leased job) and the local finish time.
 */
export function instrumentWorker(worker: Worker, options: WorkerMetricsOptions): WorkerMetrics {
  const metrics = options.metrics ?? createJobMetrics();
  const connection: OwnedConnection = connect(options.connection);
  const queues = options.queues.map((q) => ({ name: q.name, prefix: q.prefix ?? DEFAULT_PREFIX }));

  const queueLabel = new BoundedLabel(queues.map((q) => q.name));
  const jobLabel = new BoundedLabel(options.jobs);
  // Runs inside the worker's event emit: it must never throw, or listeners after it would miss the
  // event. A garbled record's times (not numbers) are left out of the histograms, the run still counted.
  const record = (queue: string, job: LeasedJob, outcome: FinishOutcome) => {
    const labels = { queue: queueLabel.of(queue), job: jobLabel.of(job.name) };
    metrics.finished.inc({ ...labels, outcome });
    const wait = secondsBetween(Number(job.createdAt), Number(job.startedAt));
    const duration = secondsBetween(Number(job.startedAt), Date.now());
    if (wait !== undefined) metrics.wait.observe(labels, wait);
    if (duration !== undefined) metrics.duration.observe(labels, duration);
  };
  const onCompleted = (e: { queue: string; job: LeasedJob }) => record(e.queue, e.job, "completed");
  const onFailed = (e: { queue: string; job: LeasedJob; error: { kind: "retry" | "dead" | "release" } }) => record(e.queue, e.job, e.error.kind);
  const onLost = (e: { queue: string; job: LeasedJob }) => record(e.queue, e.job, "lost");
  worker.on("completed", onCompleted);
  worker.on("failed", onFailed);
  worker.on("lost", onLost);

  const monitor = new Monitor({ connection: connection.client, queues });
  const busy = new Gauge({
    name: "taskq_worker_busy_ratio",
    help: "Jobs this worker runs over its concurrency, by queue",
    labelNames: ["queue"],
    registers: [metrics.registry],
    async collect() {
      const me = (await monitor.listWorkers()).find((w) => w.id === worker.id);
      for (const q of queues) {
        const concurrency = me?.concurrency[q.name] ?? 0;
        this.set({ queue: q.name }, concurrency === 0 ? 0 : (me?.jobs[q.name]?.length ?? 0) / concurrency);
      }
    },
  });
  void busy;

  return {
    ...metrics,
    async close() {
      worker.off("completed", onCompleted);
      worker.off("failed", onFailed);
      worker.off("lost", onLost);
      if (connection.owned) await connection.client.quit().catch(() => connection.client.disconnect());
    },
  };
}
