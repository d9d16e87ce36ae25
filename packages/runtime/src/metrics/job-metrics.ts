/**
 * The per-job metrics of PRODUCT.md, on a prom-client registry of their own (so two workers in one
 * process, or a test, never collide on the global registry). Names and labels are the contract
 * dashboards and alerts are written against: change them only with PRODUCT.md.
 */
import { Counter, Histogram, Registry } from "prom-client";

/** How a run ended: the worker's outcome kinds, plus `lost` for a completion refused after its lease was taken back. */
export type FinishOutcome = "completed" | "retry" | "dead" | "release" | "lost";

/**
 * The per-job Prometheus metrics, on a registry of their own (so two workers in one process, or a test,
 * never collide on the global registry). Names and labels are a contract dashboards and alerts are
 * written against.
 */
export interface JobMetrics {
  /** The registry the metrics are on; serve it with {@link serveMetrics}. */
  readonly registry: Registry;
  /** `taskq_jobs_enqueued_total{queue,job}` */
  readonly enqueued: Counter<"queue" | "job">;
  /** `taskq_jobs_finished_total{queue,job,outcome}` */
  readonly finished: Counter<"queue" | "job" | "outcome">;
  /** `taskq_job_duration_seconds{queue,job}`: from a run's start to its outcome. */
  readonly duration: Histogram<"queue" | "job">;
  /** `taskq_job_wait_seconds{queue,job}`: from enqueue to a run's start (retries included). */
  readonly wait: Histogram<"queue" | "job">;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21600, 86400];

/** Creates the job metrics on `registry`. (Default: a new Registry) */
export function createJobMetrics(registry: Registry = new Registry()): JobMetrics {
  return {
    registry,
    enqueued: new Counter({
      name: "taskq_jobs_enqueued_total",
      help: "Jobs enqueued, by queue and job name",
      labelNames: ["queue", "job"],
      registers: [registry],
    }),
    finished: new Counter({
      name: "taskq_jobs_finished_total",
      help: "Job runs finished, by outcome: completed, retry, dead, release (given back, attempt not counted) or lost",
      labelNames: ["queue", "job", "outcome"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "taskq_job_duration_seconds",
      help: "Time from a run's start to its outcome",
      labelNames: ["queue", "job"],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    wait: new Histogram({
      name: "taskq_job_wait_seconds",
      help: "Time from enqueue to a run's start",
      labelNames: ["queue", "job"],
      buckets: WAIT_BUCKETS,
      registers: [registry],
    }),
  };
}
