// Cluster-wide gauges of `taskq serve` (registerClusterMetrics).
import { Gauge, type Registry } from "prom-client";
import type { QueueInspector } from "../admin/queue-inspector.js";
import type { QueueStats } from "../admin/queue-stats.js";

const DEPTH_STATES = ["waiting", "blocked", "delayed", "active", "completed", "dead"] as const;

/** Reads older than this are shared between the gauges of one scrape. */
const SHARE_MS = 250;

/**
 * Adds cluster-wide gauges to `registry`, read from Redis through `inspector` when scraped:
 * `taskq_queue_depth{queue,state}`, `taskq_workers{queue,state}` and `taskq_worker_busy_ratio{queue}`
 * (jobs held by all live workers over their total concurrency). One scrape reads Redis once: the three
 * gauges share the read. `taskq serve` serves them.
 */
export function registerClusterMetrics(registry: Registry, inspector: QueueInspector): void {
  let last: { at: number; read: Promise<QueueStats[]> } | undefined;
  const stats = () => {
    if (!last || Date.now() - last.at > SHARE_MS) last = { at: Date.now(), read: inspector.stats() };
    return last.read;
  };
  new Gauge({
    name: "taskq_queue_depth",
    help: "Jobs in each queue, by state",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await stats()) for (const state of DEPTH_STATES) this.set({ queue: q.queue, state }, q[state]);
    },
  });
  new Gauge({
    name: "taskq_workers",
    help: "Workers serving each queue, live or dead (no heartbeat for deadAfterMs)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await stats()) {
        this.set({ queue: q.queue, state: "live" }, q.workers.live);
        this.set({ queue: q.queue, state: "dead" }, q.workers.dead);
      }
    },
  });
  new Gauge({
    name: "taskq_worker_busy_ratio",
    help: "Jobs held by live workers over their total concurrency, by queue",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await stats()) this.set({ queue: q.queue }, q.busyRatio);
    },
  });
}
