/**
 * Rate limits (worker/rate-limits.ts, the limiter in scripts/includes/fetch-jobs.lua): every limit
 * holds in every window of its length wherever it starts, across workers, on Redis time.
 */
import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, ConfigError, Worker, type JobHandle } from "../src/index.js";
import { type Handler, type JobDefinition, type QueueRegistration } from "../src/internal.js";
import { queueKeys } from "../src/redis/keys.js";
import { fetchJobs } from "../src/store/index.js";
import { rateLimits, shiftRateLimitClockForTests } from "../src/worker/rate-limits.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, type Tweet, useTopology } from "./fixtures.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("rate limits on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const workers = useTopology(kind, (suite) => ({ topo, client, redis } = suite));

  function work(queue: QueueRegistration): Worker {
    const worker = new Worker({ connection: topo.connection, queues: [queue], shutdownTimeoutMs: 2_000 });
    workers.push(worker);
    return worker;
  }
  const echo: Handler = async (p: Tweet) => ({ tweetId: p.content });
  const jobKey = (def: JobDefinition<any, any>, id: string) => `${def.queue.prefix}:{social}:job:${id}`;
  /** When the fetch script leased each job (`st`), on Redis's clock: what the limiter counts. */
  // A running job leased from the pending form has no record: its start is in its lease (scripts/includes/lease.lua).
  const startTimes = async (def: JobDefinition<any, any>, handles: JobHandle<unknown>[]) =>
    (
      await Promise.all(
        handles.map(
          async (h) => (await redis.hget(jobKey(def, h.id), "st")) ?? (await redis.hget(`${def.queue.prefix}:{${def.queue.name}}:leases`, h.id))?.split("|")[3],
        ),
      )
    )
      .map(Number)
      .sort((a, b) => a - b);

  it("holds perSecond: 20 in every sliding 1 s window across 3 workers, and starts each job the moment its window allows", async () => {
    const def = tweetJob(uniquePrefix(), { rateLimit: { perSecond: 20 } });
    for (let i = 0; i < 3; i++) work(registration(def, echo, 10));
    const t0 = Date.now();
    const handles = await client.enqueueBulk(
      def,
      Array.from({ length: 100 }, (_, i) => ({ content: `r${i}` })),
    );
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 15_000 })));
    const elapsedMs = Date.now() - t0;
    const starts = await startTimes(def, handles);
    // Any half-open 1 s window holds at most 20 starts exactly when each start is 1 s or more after
    // the one 20 places before it.
    for (let i = 20; i < starts.length; i++) expect(starts[i] - starts[i - 20], `starts ${i - 20} and ${i}`).toBeGreaterThanOrEqual(1_000);
    // 100 starts at 20 per window take 4 full windows after the first start; a calendar-window
    // limiter lets 20 through at the end of one second and 20 more at the start of the next.
    expect(starts[99] - starts[0]).toBeGreaterThanOrEqual(4_000);
    expect(elapsedMs).toBeGreaterThanOrEqual(4_000);
    // Each job starts when its window allows it (1 s after the start 20 places before it), not on a
    // polling interval or a second later: how late it was, in ms, on Redis time.
    const lateness = starts
      .slice(20)
      .map((at, i) => at - (starts[i] + 1_000))
      .sort((x, y) => x - y);
    expect(lateness[Math.floor(lateness.length / 2)], "median").toBeLessThan(100);
    expect(lateness[lateness.length - 1], "latest").toBeLessThan(500);
    // Waiting on a limit is not an attempt.
    const attempts = await Promise.all(handles.map((h) => redis.hget(jobKey(def, h.id), "a")));
    expect(attempts.every((a) => a === "1")).toBe(true);
    // The log keeps the last 20 start times only, and expires after a window.
    const log = `${def.queue.prefix}:{social}:limit:tweet:`;
    expect(await redis.llen(log)).toBe(20);
    expect(await redis.pttl(log)).toBeLessThanOrEqual(1_000);
  }, 30_000);

  it("holds perHour and perDay across a day boundary: a limited job waits for its first start plus the window, not for midnight", async () => {
    const def = tweetJob(uniquePrefix(), { rateLimit: { perDay: 4, perHour: 2 } });
    const [seconds, micros] = await redis.time();
    const redisNowMs = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
    // The limiter's clock put 1.5 s before midnight UTC.
    const beforeMidnightMs = (Math.floor(redisNowMs / DAY_MS) + 1) * DAY_MS - 1_500 - redisNowMs;
    const ran: string[] = [];
    const handler: Handler = async (p: Tweet) => (ran.push(p.content), { tweetId: "x" });

    const night = registration(def, handler, 5);
    shiftRateLimitClockForTests(night, beforeMidnightMs);
    const nightWorker = work(night);
    const first = await client.enqueueBulk(def, [{ content: "a" }, { content: "b" }]);
    await Promise.all(first.map((h) => h.result({ timeoutMs: 5_000 })));
    const late = await client.enqueueBulk(
      def,
      ["c", "d", "e", "f"].map((content) => ({ content })),
    );
    // Past midnight on the limiter's clock: a new calendar hour and day, not a new window.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(ran.sort()).toEqual(["a", "b"]);
    const [firstStart, secondStart] = await startTimes(def, first);
    // Each waits for the earliest moment it can start, given the ones ahead of it: the third and
    // fourth an hour after the first and second (perHour: 2), the fifth and sixth a day after them
    // (perDay: 4), so the backlog comes due one job at a time.
    const dueAt = [firstStart + HOUR_MS, secondStart + HOUR_MS, firstStart + DAY_MS, secondStart + DAY_MS];
    for (const [i, h] of late.entries()) {
      expect(await h.state()).toBe("delayed");
      expect(Number(await redis.zscore(`${def.queue.prefix}:{social}:delayed`, h.id)), h.id).toBe(dueAt[i]);
      expect(Number(await redis.hget(jobKey(def, h.id), "a"))).toBe(0);
    }
    await nightWorker.close();

    // An hour on: the hour's window has room for two more, then the day's (4) is full until 24 h
    // after the first start.
    const morning = registration(def, handler, 5);
    const hourLaterMs = beforeMidnightMs + HOUR_MS;
    shiftRateLimitClockForTests(morning, hourLaterMs);
    work(morning);
    const next = await client.enqueueBulk(
      def,
      ["g", "h", "i"].map((content) => ({ content })),
    );
    await Promise.all(next.slice(0, 2).map((h) => h.result({ timeoutMs: 5_000 })));
    await new Promise((r) => setTimeout(r, 200));
    expect(ran.sort()).toEqual(["a", "b", "g", "h"]);
    expect(await next[2].state()).toBe("delayed");
    // On Redis time: the first start, shifted to the limiter's clock, plus a day, shifted back.
    expect(Number(await redis.zscore(`${def.queue.prefix}:{social}:delayed`, next[2].id))).toBe(firstStart + beforeMidnightMs + DAY_MS - hourLaterMs);
  }, 20_000);

  it("spaces runs by minIntervalMs, on Redis time", async () => {
    const def = tweetJob(uniquePrefix(), { rateLimit: { minIntervalMs: 100 } });
    work(registration(def, echo, 5));
    const handles = await client.enqueueBulk(
      def,
      Array.from({ length: 5 }, (_, i) => ({ content: `m${i}` })),
    );
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })));
    const starts = await startTimes(def, handles);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(100);
  });

  it("limits each group of groupBy on its own", async () => {
    const def = tweetJob(uniquePrefix(), { rateLimit: { perMinute: 1, groupBy: "content" } });
    const ran: string[] = [];
    work(registration(def, async (p: Tweet) => (ran.push(p.content), { tweetId: "x" }), 5));
    const handles = await client.enqueueBulk(
      def,
      ["a", "a", "b", "b", "c"].map((content) => ({ content })),
    );
    await Promise.all([handles[0], handles[2], handles[4]].map((h) => h.result({ timeoutMs: 5_000 })));
    await new Promise((r) => setTimeout(r, 200));
    expect(ran.sort()).toEqual(["a", "b", "c"]);
    for (const [waiting, ranFirst] of [
      [handles[1], handles[0]],
      [handles[3], handles[2]],
    ]) {
      expect(await waiting.state()).toBe("delayed");
      const [start] = await startTimes(def, [ranFirst]);
      expect(Number(await redis.zscore(`${def.queue.prefix}:{social}:delayed`, waiting.id))).toBe(start + 60_000);
    }
  });

  it("wakes an idle worker when a limit puts a job off to sooner than any delayed job it knows of", async () => {
    // The fetch that puts the job off may fill its worker's slots (with jobs of other types), so that
    // worker does not wait for it: the marker wakes another, whose fetch learns the due time.
    const def = tweetJob(uniquePrefix(), { rateLimit: { perSecond: 2 } });
    const k = queueKeys(def.queue.prefix, def.queue.name);
    const limits = rateLimits(registration(def, echo));
    let token = 0;
    const fetch = async (count: number) =>
      fetchJobs(redis, { keys: k, workerId: "w1", leaseMs: 30_000, count, promoteLimit: 1_000, weights: "", limits, token: `t${++token}` });
    const handles = await client.enqueueBulk(
      def,
      ["a", "b", "c"].map((content) => ({ content })),
    );
    await redis.del(k.marker);
    const { jobs, nextDueInMs } = await fetch(3);
    expect(jobs.map((j) => j.id)).toEqual([handles[0].id, handles[1].id]);
    const [firstStart] = await startTimes(def, handles.slice(0, 1));
    expect(Number(await redis.zscore(k.delayed, handles[2].id))).toBe(firstStart + 1_000);
    expect(nextDueInMs).toBeGreaterThan(0);
    expect(await redis.zcard(k.marker)).toBe(1);

    // A job put off to no sooner than the delayed job already known wakes no one.
    const late = await client.enqueue(def, { content: "d" });
    await redis.del(k.marker);
    expect((await fetch(1)).jobs).toEqual([]);
    expect(Number(await redis.zscore(k.delayed, late.id))).toBe(firstStart + 1_000);
    expect(await redis.zcard(k.marker)).toBe(0);
  });

  it("refuses a limit that is not a positive integer", () => {
    for (const rateLimit of [{ perSecond: 0 }, { perMinute: 1.5 }, { minIntervalMs: -1 }]) {
      const def = tweetJob(uniquePrefix(), { rateLimit });
      expect(() => new Worker({ connection: topo.connection, queues: [registration(def, echo)], autostart: false })).toThrow(ConfigError);
    }
  });
});
