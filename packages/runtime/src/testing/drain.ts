/**
 * Runs a test's queues dry: every waiting job, every delayed job that is due (by Redis's clock, or a
 * {@link TestClock}'s), and whatever those jobs lead to (retries that come due, children unblocked
 * by their parents), until nothing is left to run now. The jobs run in a real worker on real Redis,
 * so leases, retries, the dead-letter queue and results are what production does.
 */
import type { QueueRef } from "../admin/queue-discovery.js";
import { TimeoutError } from "../errors.js";
import type { RedisClient } from "../redis/connection.js";
import { shardKeys } from "../redis/keys.js";
import { LEASE_SCORES } from "../store/index.js";
import { Worker } from "../worker/worker.js";
import { TestClock, promoteDelayed } from "./test-clock.js";
import { redisOf, type TestClient } from "./test-target.js";
import { testQueues } from "./test-queues.js";

/** Options of {@link drain}. */
export interface DrainOptions {
  /** Only these queues. (Default: the worker's queues; with a client, every queue found in Redis) */
  queues?: string[];
  /** Give up after this long, with a `TimeoutError` saying what is left. (Default: 10 000 ms) */
  timeoutMs?: number;
  /** Run delayed jobs and retries now, however far ahead they are due (not schedules). (Default: false: only those due) */
  withDelayed?: boolean;
  /** Counts a job as due by this clock's time (and runs what comes due by it). (Default: Redis's clock) */
  clock?: TestClock;
}

/** What a {@link drain} ran. */
export interface DrainSummary {
  /** Jobs completed. */
  completed: number;
  /**
   * Attempts that failed: each retry, release and dead-lettering. With a client (no worker in
   * this process to watch), the dead-lettered jobs only.
   */
  failed: number;
  /** Jobs dead-lettered. */
  dead: number;
}

/** How often the queues are looked at while jobs run. */
const POLL_MS = 10;

/**
 * Runs every queued and due job to completion and returns what happened. With a `Worker` (the
 * generated `createWorker`, best made with `autostart: false`), it is started if it was not, runs the
 * jobs in this process, and is left running: close it after the test. The summary counts what the
 * worker ran since the previous drain of it returned (jobs it ran between two drains included). With
 * a client, the jobs are run by workers elsewhere and `drain` waits for them.
 *
 * @param target - The worker to run the jobs, or a generated `TaskqClient` or runtime `Client` to wait with.
 */
export async function drain(target: Worker | TestClient, options: DrainOptions = {}): Promise<DrainSummary> {
  const redis = redisOf(target);
  const queues = await testQueues(target, options.queues);
  const clock = options.clock ?? new TestClock(target, { queues: queues.map((q) => q.name) });
  const summary: DrainSummary = { completed: 0, failed: 0, dead: 0 };
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const stopCounting = target instanceof Worker ? countEvents(target, summary) : await countFinished(redis, queues, summary);
  try {
    if (target instanceof Worker && !target.isStarted) target.start();
    for (;;) {
      await clock.runDue();
      if (options.withDelayed) for (const queue of queues) await promoteDelayed(redis, queue, Infinity);
      const left = await remaining(redis, queues);
      if (left.total === 0 && (!(target instanceof Worker) || target.busy === 0)) break;
      if (Date.now() > deadline) {
        throw new TimeoutError(
          `drain: jobs still to run after ${options.timeoutMs ?? 10_000} ms: ${left.waiting} waiting, ${left.active} active, ${left.due} delayed and due${target instanceof Worker ? "" : " (is a worker running?)"}`,
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    await stopCounting();
  }
  return summary;
}

/**
 * What each worker ran since the last drain of it returned. A worker keeps running between drains
 * (a job a TestClock promotes may run before the next drain starts), so its events are counted from
 * the first drain on, not only during one.
 */
const tallies = new WeakMap<Worker, DrainSummary>();

/** Counts the worker's job events; the returned function hands over the count since the last drain. */
function countEvents(worker: Worker, summary: DrainSummary): () => Promise<void> {
  let tally = tallies.get(worker);
  if (!tally) {
    const counted: DrainSummary = { completed: 0, failed: 0, dead: 0 };
    worker.on("completed", () => void counted.completed++);
    worker.on("failed", ({ error }) => {
      counted.failed++;
      if (error.kind === "dead") counted.dead++;
    });
    tallies.set(worker, (tally = counted));
  }
  const counted = tally;
  return async () => {
    Object.assign(summary, counted);
    Object.assign(counted, { completed: 0, failed: 0, dead: 0 });
  };
}

/** Without a worker to watch: what the queues' completed and dead indexes gained. */
async function countFinished(redis: RedisClient, queues: QueueRef[], summary: DrainSummary): Promise<() => Promise<void>> {
  const sizes = async () => {
    let completed = 0;
    let dead = 0;
    for (const q of queues) {
      for (const k of shardKeys(q.prefix, q.name, q.shards)) {
        completed += await redis.zcard(k.completed);
        dead += await redis.zcard(k.dead);
      }
    }
    return { completed, dead };
  };
  const before = await sizes();
  return async () => {
    const after = await sizes();
    summary.completed = Math.max(0, after.completed - before.completed);
    summary.dead = summary.failed = Math.max(0, after.dead - before.dead);
  };
}

/** Jobs that can run now: waiting, held by a worker, or delayed and due (by Redis's clock). */
async function remaining(redis: RedisClient, queues: QueueRef[]): Promise<{ waiting: number; active: number; due: number; total: number }> {
  let waiting = 0;
  let active = 0;
  let due = 0;
  for (const q of queues) {
    for (const k of shardKeys(q.prefix, q.name, q.shards)) {
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const replies = (await redis
        .multi()
        .llen(k.wait[0])
        .llen(k.wait[1])
        .llen(k.wait[2])
        .llen(k.wait[3])
        .llen(k.wait[4])
        // Leases only, not the index's anchor (store/active-index.ts).
        .zcount(k.active, ...LEASE_SCORES)
        .zcount(k.delayed, "-inf", now)
        .exec()) as Array<[Error | null, number]>;
      const counts = replies.map(([, n]) => Number(n));
      waiting += counts.slice(0, 5).reduce((a, b) => a + b, 0);
      active += counts[5];
      due += counts[6];
    }
  }
  return { waiting, active, due, total: waiting + active + due };
}
