/**
 * The public API of @taskq/runtime: queues and jobs, the client, the worker, the monitor, the task manager, the
 * dead-letter queue and schedules. Everything not exported here is internal.
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
export { createCodec, type Codec } from "./codec.js";
export type { PayloadStorage, StoredPayload } from "./payload/envelope.js";
export { IsoDate } from "./iso-date.js";
export { defineJob, type JobDefinition, type Handler, type QueueRegistration, type QueueJob } from "./definition.js";
export { defineQueue, DEFAULT_PREFIX, type QueueDefinition } from "./queue-definition.js";
export type { ConnectionOptions, UrlConnection } from "./redis/connection.js";
export { Client, type ClientOptions, type BulkItem, type ScheduleHandle } from "./client/client.js";
export { nextFireTime, type Schedule, type StoredSchedule } from "./scheduler/next-fire-time.js";
export { ScheduleStore, type ScheduleInfo } from "./scheduler/schedule-store.js";
export type { JobHandle } from "./client/job-handle.js";
export { JOB_STATES, type JobState } from "./client/job-state.js";
export { DefaultClient } from "./client/default-client.js";
export {
  Worker,
  type WorkerOptions,
  type JobEvent,
  type JobCompletedEvent,
  type JobFailedEvent,
  type FailedOutcome,
} from "./worker/worker.js";
export type { LeasedJob } from "./worker/leased-job.js";
export type { ThreadPoolOptions } from "./worker/thread-pool.js";
export { TaskManager, type TaskManagerOptions } from "./task-manager/task-manager.js";
export { Monitor, type MonitorOptions, type WorkerStatus } from "./monitor/monitor.js";
export { DeadLetterQueue, type DeadJob, type DeadJobFilter, type DeadJobPage, type DeadJobPageOptions } from "./client/dead-letter-queue.js";
export { connect, defaultRedisUrl, type RedisClient, type OwnedConnection } from "./redis/connection.js";
export type { ConnectionChange } from "./redis/connection-state.js";
export { maskCredentials, refusalOf } from "./redis/redis-url.js";
export type { Middleware, JobCall, JobSuccess, JobFailure, JobTypes, AnyJobs } from "./middleware/middleware.js";
export { applyMiddleware } from "./middleware/apply-middleware.js";
export type { PayloadUpgrade } from "./definition.js";
