/**
 * The public API of @taskq/runtime: what an application writes against. Declaring queues and jobs in
 * jobs.ts (`Queue`, `Job`, the option types), the client, the worker and its events, the monitor, the
 * task manager, the dead-letter queue and schedules, the errors, and middleware. Everything else is
 * internal: generated code imports its plumbing from `@taskq/runtime/internal`, operations tooling
 * lives in `@taskq/runtime/admin`, `/http`, `/metrics`, and test helpers in `/testing`.
 *
 * @module @taskq/runtime
 */
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
  RedisUnavailableError,
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
export type { ConnectionOptions, UrlConnection, RedisClient } from "./redis/connection.js";
export { defaultRedisUrl } from "./redis/connection.js";
export type { ConnectionChange } from "./redis/connection-state.js";
export { refusalOf } from "./redis/redis-url.js";
export { DEFAULT_PREFIX } from "./contract/default-prefix.js";
export type { QueueDefinition } from "./queue-definition.js";
export { Client, type ClientOptions, type BulkItem, type ScheduleHandle } from "./client/client.js";
export type { Schedule, StoredSchedule } from "./scheduler/next-fire-time.js";
export { ScheduleStore, type ScheduleInfo } from "./scheduler/schedule-store.js";
export type { JobHandle } from "./client/job-handle.js";
export { JOB_STATES, type JobState } from "./store/job-record-schema.js";
export type { ProgressIterator, ProgressOptions } from "./client/job-progress.js";
export type { QueueEvent, QueueEventType, QueueEvents, QueueEventsOptions, QueueEventsTarget, DroppedEvents } from "./client/queue-events.js";
export { Worker, type WorkerOptions, type JobEvent, type JobCompletedEvent, type JobFailedEvent, type FailedOutcome } from "./worker/worker.js";
export type { LeasedJob } from "./worker/leased-job.js";
export { TaskManager, type TaskManagerOptions } from "./task-manager/task-manager.js";
export { Monitor, type MonitorOptions, type WorkerStatus } from "./monitor/monitor.js";
export { DeadLetterQueue, type DeadJob, type DeadJobFilter, type DeadJobPage, type DeadJobPageOptions } from "./client/dead-letter-queue.js";
export type { Middleware, JobCall, JobSuccess, JobFailure, JobTypes, AnyJobs } from "./middleware/middleware.js";
export type { TracingOptions } from "./tracing/tracing-options.js";
