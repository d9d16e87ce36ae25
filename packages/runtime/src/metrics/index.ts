/**
 * Prometheus metrics of workers, clients and queues. Needs prom-client, an optional peer.
 *
 * @module @taskq/runtime/metrics
 */
export { createJobMetrics, type JobMetrics, type FinishOutcome } from "./job-metrics.js";
export { instrumentClient, type ClientMetricsOptions } from "./client-metrics.js";
export { OTHER_LABEL } from "./bounded-labels.js";
export { instrumentWorker, type WorkerMetrics, type WorkerMetricsOptions } from "./worker-metrics.js";
export { registerClusterMetrics } from "./cluster-metrics.js";
export { serveMetrics, type MetricsEndpoint, type MetricsEndpointOptions } from "./metrics-endpoint.js";
