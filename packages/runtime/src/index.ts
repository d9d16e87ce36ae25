// The public API of @taskq/runtime. Everything not exported here is internal.
export { Queue, Job } from "./decorators.js";
export type { JobContext, BatchContext } from "./context.js";
export {
  TaskqError,
  ValidationError,
  DecodeError,
  PermanentError,
  RateLimitError,
  JobFailedError,
  TimeoutError,
  ConfigError,
  type ValidationIssue,
  type AttemptError,
} from "./errors.js";
export {
  PRIORITIES,
  type Priority,
  type Backoff,
  type BackoffFunction,
  type RateLimit,
  type QueueOptions,
  type JobOptions,
  type EnqueueOptions,
} from "./options.js";
export { createCodec, type Codec } from "./codec.js";
export type { PayloadStorage, StoredPayload } from "./payload/envelope.js";
export { IsoDate } from "./iso-date.js";
export { defineJob, type JobDefinition, type Handler, type QueueRegistration } from "./definition.js";
export type { ConnectionOptions, UrlConnection } from "./redis/connection.js";
export { Client, type ClientOptions, type BulkItem, type ScheduleHandle } from "./client/client.js";
export { nextFireTime, type Schedule, type StoredSchedule } from "./scheduler/next-fire-time.js";
export { ScheduleStore, type ScheduleInfo } from "./scheduler/schedule-store.js";
export type { JobHandle, JobState } from "./client/job-handle.js";
export { DefaultClient } from "./client/default-client.js";
export { Worker, type WorkerOptions } from "./worker/worker.js";
export { TaskManager, type TaskManagerOptions } from "./task-manager/task-manager.js";
export { Monitor, type MonitorOptions, type WorkerStatus } from "./monitor/monitor.js";
export { DeadLetterQueue, type DeadJob, type DeadJobFilter } from "./client/dead-letter-queue.js";
export { connect, defaultRedisUrl, type RedisClient } from "./redis/connection.js";
export { QueueInspector, type QueueInspectorOptions } from "./admin/queue-inspector.js";
export { discoverQueues, type QueueRef } from "./admin/queue-discovery.js";
export type { QueueStats } from "./admin/queue-stats.js";
export type { JobSummary, JobDetail } from "./admin/job-record.js";
export { LISTABLE_STATES, type ListableState, type ListJobsOptions } from "./admin/list-jobs.js";
export type { ActionResult } from "./admin/job-actions.js";
export { createJobMetrics, type JobMetrics, type FinishOutcome } from "./metrics/job-metrics.js";
export { instrumentClient } from "./metrics/client-metrics.js";
export { instrumentWorker, type WorkerMetrics, type WorkerMetricsOptions } from "./metrics/worker-metrics.js";
export { registerClusterMetrics } from "./metrics/cluster-metrics.js";
export { serveMetrics, type MetricsEndpoint, type MetricsEndpointOptions } from "./metrics/metrics-endpoint.js";
export { createApiServer, type ApiServer, type ApiServerOptions } from "./http/api-server.js";
export type { ApiTokens } from "./http/auth.js";
export type { Middleware, JobCall, JobSuccess, JobFailure, JobTypes, AnyJobs } from "./middleware/middleware.js";
export { applyMiddleware } from "./middleware/apply-middleware.js";
export { AlertMonitor, type AlertMonitorOptions } from "./alerts/alert-monitor.js";
export type { AlertRule } from "./alerts/alert-rules.js";
export { logAlerts, webhookAlerts, type Alert, type AlertTarget, type WebhookOptions } from "./alerts/alert-targets.js";
export type { PayloadUpgrade } from "./definition.js";
