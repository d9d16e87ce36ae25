/**
 * The jobs.ts contract, defined once: the option types of `@Queue` and `@Job`, their allowed values
 * (priorities, backoff kinds, rate-limit windows, serializers), their defaults and their bounds. The
 * runtime applies them and the code generator checks jobs.ts against them, both from this module, so
 * a priority or option added here reaches both. Dependency-free (types and constants only), so
 * `@taskq/codegen` imports it without loading Redis or anything else of the runtime.
 *
 * @module @taskq/runtime/contract
 */
export { DEFAULT_PREFIX } from "./default-prefix.js";
export { PRIORITIES, DEFAULT_PRIORITY_WEIGHTS, type Priority } from "./priorities.js";
export { BACKOFF_TYPES, DEFAULT_BACKOFF_DELAY_MS, type Backoff, type BackoffFunction } from "./backoff.js";
export { RATE_LIMIT_WINDOWS, RATE_LIMIT_KEYS, type RateLimit } from "./rate-limit.js";
export { JOB_OPTION_KEYS, DEFAULT_JOB_OPTIONS, MAX_ATTEMPTS, MAX_TIMEOUT_MS, type JobOptions, type DefaultedJobOption } from "./job-options.js";
export { QUEUE_OPTION_KEYS, SERIALIZERS, POOLS, DEFAULT_CONCURRENCY, MAX_SHARDS, type QueueOptions } from "./queue-options.js";
export type { ListsEvery, Assert } from "./exhaustive.js";
