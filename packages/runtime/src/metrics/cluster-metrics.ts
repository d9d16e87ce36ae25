// Cluster-wide gauges of `taskq serve` (registerClusterMetrics).
import { Gauge, type Registry } from "prom-client";
import type { QueueInspector } from "../admin/queue-inspector.js";
import type { QueueStats } from "../admin/queue-stats.js";
import { OTHER_LABEL } from "./bounded-labels.js";

const DEPTH_STATES = ["waiting", "blocked", "delayed", "active", "completed", "dead"] as const;

/** Reads older than this are shared between the gauges of one scrape. */
const SHARE_MS = 250;

/** Queues labelled by name, the ones with most jobs; the rest are summed under `queue="other"`. (Default) */
export const MAX_QUEUE_LABELS = 50;

type Row = Pick<QueueStats, "queue" | "prefix" | (typeof DEPTH_STATES)[number] | "workers" | "concurrency" | "busyRatio">;

/** Any producer can make queues: past `max`, the smallest are one `other` row, so series stay bounded. */
function boundQueues(stats: QueueStats[], max: number): Row[] {
  if (stats.length <= max) return stats;
  const total = (q: QueueStats) => DEPTH_STATES.reduce((n, state) => n + q[state], 0);
  const sorted = [...stats].sort((a, b) => total(b) - total(a) || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.queue < b.queue ? -1 : 1));
  const rest = sorted.slice(max);
  const other: Row = {
    queue: OTHER_LABEL,
    prefix: OTHER_LABEL,
    waiting: 0,
    blocked: 0,
    delayed: 0,
    active: 0,
    completed: 0,
    dead: 0,
    workers: { live: 0, dead: 0 },
    concurrency: 0,
    busyRatio: 0,
  };
  let held = 0;
  for (const q of rest) {
    for (const state of DEPTH_STATES) other[state] += q[state];
    other.workers.live += q.workers.live;
    other.workers.dead += q.workers.dead;
    other.concurrency += q.concurrency;
    held += q.busyRatio * q.concurrency;
  }
  other.busyRatio = other.concurrency === 0 ? 0 : held / other.concurrency;
  return [...sorted.slice(0, max), other];
}

/**
 * Adds cluster-wide gauges to `registry`, read from Redis through `inspector` when scraped:
 * `taskq_queue_depth{prefix,queue,state}`, `taskq_workers{prefix,queue,state}` and
 * `taskq_worker_busy_ratio{prefix,queue}` (jobs held by all live workers over their total
 * concurrency). A queue is known by prefix and name: `mail` under two prefixes is two series, never
 * one overwriting the other. One scrape reads Redis once: the three
 * gauges share the read. At most `maxQueueLabels` queues (the fullest) are labelled by name, the rest
 * as `other`. `taskq serve` serves them.
 */
export function registerClusterMetrics(registry: Registry, inspector: QueueInspector, maxQueueLabels = MAX_QUEUE_LABELS): void {
  let last: { at: number; read: Promise<Row[]> } | undefined;
  const stats = () => {
    if (!last || Date.now() - last.at > SHARE_MS) last = { at: Date.now(), read: inspector.stats().then((all) => boundQueues(all, maxQueueLabels)) };
    return last.read;
  };
  new Gauge({
    name: "taskq_queue_depth",
    help: "Jobs in each queue, by state",
    labelNames: ["prefix", "queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await stats()) for (const state of DEPTH_STATES) this.set({ prefix: q.prefix, queue: q.queue, state }, q[state]);
    },
  });
  new Gauge({
    name: "taskq_workers",
    help: "Workers serving each queue, live or dead (no heartbeat for deadAfterMs)",
    labelNames: ["prefix", "queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await stats()) {
        this.set({ prefix: q.prefix, queue: q.queue, state: "live" }, q.workers.live);
        this.set({ prefix: q.prefix, queue: q.queue, state: "dead" }, q.workers.dead);
      }
    },
  });
  new Gauge({
    name: "taskq_worker_busy_ratio",
    help: "Jobs held by live workers over their total concurrency, by queue",
    labelNames: ["prefix", "queue"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await stats()) this.set({ prefix: q.prefix, queue: q.queue }, q.busyRatio);
    },
  });
}
