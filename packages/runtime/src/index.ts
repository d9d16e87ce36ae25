// The public API of @taskq/runtime. Everything not exported here is internal.
export { Queue, Job } from "./decorators.js";
export type { JobContext } from "./context.js";
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
  type RateLimit,
  type QueueOptions,
  type JobOptions,
  type EnqueueOptions,
} from "./options.js";
export { createCodec, type Codec } from "./codec.js";
export { defineJob, type JobDefinition, type Handler, type QueueRegistration } from "./definition.js";
export type { ConnectionOptions } from "./redis/connection.js";
export { Client, type ClientOptions, type BulkItem, type Schedule, type ScheduleHandle } from "./client/client.js";
export type { JobHandle, JobState } from "./client/job-handle.js";
export { Worker, type WorkerOptions } from "./worker/worker.js";
export { TaskManager, type TaskManagerOptions } from "./task-manager/task-manager.js";
export { Monitor, type MonitorOptions, type WorkerStatus } from "./monitor/monitor.js";
export { DeadLetterQueue, type DeadJob, type DeadJobFilter } from "./client/dead-letter-queue.js";
export { connect, defaultRedisUrl, type RedisClient } from "./redis/connection.js";
