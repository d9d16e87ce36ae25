/**
 * Moves a test's queues forward in time without faking any clock: delayed jobs (delays, retry
 * backoffs) due within the next `ms` of Redis's clock are run now, by the same script as an
 * operator's "run now" (promote-job-7.lua: to the back of their wait list, attempts kept), and
 * schedules due within it fire, each of their firings once, by the TaskManager's own code. Redis's
 * time does not move: a job due later than that, and everything else, is as it was.
 */
import type { QueueRef } from "../admin/queue-discovery.js";
import type { RedisClient } from "../redis/connection.js";
import { shardKeys } from "../redis/keys.js";
import { promoteJob } from "../store/index.js";
import { ScheduleStore } from "../scheduler/schedule-store.js";
import type { Worker } from "../worker/worker.js";
import { redisOf, type TestClient } from "./test-target.js";
import { testQueues } from "./test-queues.js";
import { ConfigError } from "../errors.js";

/** Options of {@link TestClock}. */
export interface TestClockOptions {
  /** Only these queues. (Default: a worker's queues; with a client, every queue found in Redis) */
  queues?: string[];
}

/** What one {@link TestClock.advance} did. */
export interface AdvanceResult {
  /** Delayed jobs now waiting to run. */
  promoted: number;
  /** Schedule firings enqueued. */
  fired: number;
}

/** Passes over one queue's schedules per advance; each fires up to FIRINGS_PER_PASS ticks. */
const MOST_PASSES = 10_000;
const FIRINGS_PER_PASS = 100;

/**
 * A test's clock for delayed jobs and schedules. Each {@link TestClock.advance} moves it further
 * ahead of Redis's clock and runs now what would be due by then: delayed jobs and retries go to
 * their wait lists, and schedules fire every tick due by then (an `everyMs: 60_000` schedule fires 60
 * times for an hour). A worker (or {@link drain}) then runs them. Redis's own time never moves.
 */
export class TestClock {
  private aheadMs = 0;

  /**
   * @param target - A generated `TaskqClient`, the runtime `Client`, or a `Worker` (then its queues).
   */
  constructor(
    private readonly target: TestClient | Worker,
    private readonly options: TestClockOptions = {},
  ) {}

  /** How far ahead of Redis's clock this clock is, in ms. */
  get offsetMs(): number {
    return this.aheadMs;
  }

  /** Moves the clock `ms` further ahead, and runs what is due by then. */
  async advance(ms: number): Promise<AdvanceResult> {
    if (!Number.isFinite(ms) || ms < 0) throw new ConfigError(`advance(${ms}): give a finite number of ms, 0 or more`);
    this.aheadMs += ms;
    return this.runDue();
  }

  /** Runs what is due by this clock's time, without moving it (what came due since the last advance). */
  async runDue(): Promise<AdvanceResult> {
    const redis = redisOf(this.target);
    const result: AdvanceResult = { promoted: 0, fired: 0 };
    for (const queue of await testQueues(this.target, this.options.queues)) {
      result.promoted += await promoteDelayed(redis, queue, this.aheadMs);
      result.fired += await this.fireSchedules(redis, new ScheduleStore(redis, queue.name, queue.prefix, queue.shards ?? 1));
    }
    return result;
  }

  /** fireDue fires each due schedule once; a schedule with several ticks in the window needs a pass each. */
  private async fireSchedules(redis: RedisClient, schedules: ScheduleStore): Promise<number> {
    let fired = 0;
    for (let pass = 0; pass < MOST_PASSES; pass++) {
      const due = await redis.zcount(schedules.keys.scheduleDue, "-inf", (await redisNow(redis)) + this.aheadMs);
      if (due === 0) break;
      await schedules.fireDue(FIRINGS_PER_PASS, this.aheadMs);
      fired += Math.min(due, FIRINGS_PER_PASS);
    }
    return fired;
  }
}

/**
 * Moves a queue's delayed jobs due within `aheadMs` of Redis's clock (every one, for Infinity) to
 * their wait lists; returns how many moved.
 */
export async function promoteDelayed(redis: RedisClient, queue: QueueRef, aheadMs: number): Promise<number> {
  let promoted = 0;
  for (const k of shardKeys(queue.prefix, queue.name, queue.shards)) {
    const until = aheadMs === Infinity ? "+inf" : (await redisNow(redis)) + aheadMs;
    for (const id of await redis.zrangebyscore(k.delayed, "-inf", until)) {
      const before = await promoteJob(redis, { keys: k, id });
      if (before === "delayed") promoted++;
    }
  }
  return promoted;
}

async function redisNow(redis: RedisClient): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
