/**
 * The testing kit: run one job's handler without Redis ({@link perform}), start a throwaway Redis
 * ({@link startTestRedis}), assert on what code enqueued ({@link expectEnqueued}, {@link enqueued}),
 * run the queues dry in-process ({@link drain}) and move delayed jobs and schedules forward
 * ({@link TestClock}). For tests only: nothing in `@taskq/runtime` imports it, so producers and
 * workers never load it.
 *
 * @module @taskq/runtime/testing
 */
export { perform, type PerformOptions, type PerformResult, type PerformReport, type PerformCompleted, type PerformFailed } from "./perform.js";
export { startTestRedis, type TestRedis, type TestRedisOptions } from "./test-redis.js";
export { enqueued, expectEnqueued, type EnqueuedJob, type PartialPayload, type AsStored } from "./enqueued.js";
export { drain, type DrainOptions, type DrainSummary } from "./drain.js";
export { TestClock, type TestClockOptions, type AdvanceResult } from "./test-clock.js";
export type { TestClient, GeneratedClient, JobNameOf, JobPayloadOf } from "./test-target.js";
