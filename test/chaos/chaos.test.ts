/**
 * No job lost: real worker processes of the tweet example's generated worker, SIGKILLed, SIGSTOPped
 * and SIGTERMed, against a redis-server with `appendfsync always` that is itself restarted.
 * `npm run chaos` runs the same at a larger scale and prints the figures.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Monitor } from "@taskq/runtime";
import { createClient } from "../../examples/tweet/generated/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { kill, readRuns, sleep, spawnWorker, until, type ChaosWorker } from "./harness.js";
import { runStorm } from "./storm.js";

let server: TestRedis;
let redis: Redis;
const workers: ChaosWorker[] = [];

beforeEach(async () => {
  server = await startRedis({ aof: true });
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  redis.on("error", () => undefined); // the restart test takes Redis away on purpose
});
afterEach(async () => {
  for (const w of workers.splice(0)) kill(w, "SIGKILL");
  redis.disconnect();
  await server.stop();
});

describe("kill storm", () => {
  it("loses no job when a random worker of 5 is SIGKILLed every second (deadAfterMs 1000)", async () => {
    const report = await runStorm({ target: server.url, workers: 5, jobs: 5_000, killEveryMs: 1_000, deadAfterMs: 1_000, jobMs: 60, timeoutMs: 120_000 });
    console.log("kill storm, deadAfterMs 1000:", JSON.stringify(report));
    expect(report.kills).toBeGreaterThanOrEqual(3);
    expect(report.lost).toBe(0);
    expect(report.dead).toBe(0);
    expect(report.completed).toBe(5_000);
    expect(report.duplicates).toBeLessThanOrEqual(report.inFlightOnKilled);
    expect(report.recoveryMs.count).toBeGreaterThan(0);
    expect(report.recoveryMs.p99).toBeLessThanOrEqual(2_000);
  }, 180_000);

  it("recovers killed workers' jobs within 10 s with the default deadAfterMs", async () => {
    const report = await runStorm({ target: server.url, workers: 3, jobs: 1_500, killEveryMs: 2_500, jobMs: 100, timeoutMs: 120_000 });
    console.log("kill storm, defaults:", JSON.stringify(report));
    expect(report.lost).toBe(0);
    expect(report.dead).toBe(0);
    expect(report.duplicates).toBeLessThanOrEqual(report.inFlightOnKilled);
    expect(report.recoveryMs.count).toBeGreaterThan(0);
    expect(report.recoveryMs.p99).toBeLessThanOrEqual(10_000);
  }, 180_000);
});

describe("a paused worker", () => {
  it("cannot complete a job that ran elsewhere while it was stopped", async () => {
    const env = { target: server.url, deadAfterMs: 1_000, slowJobMs: 2_000 };
    const paused = await spawnWorker(env);
    workers.push(paused);
    const client = createClient({ connection: server.url });
    const handle = await client.enqueueDeleteTweet({ tweetId: "slow-1" });
    await until(async () => (await redis.llen("chaos:log")) === 1, 10_000, "first run");
    paused.child.kill("SIGSTOP");
    const other = await spawnWorker(env);
    workers.push(other);
    await until(async () => (await redis.llen("chaos:log")) === 2, 10_000, "second run elsewhere");
    paused.child.kill("SIGCONT");
    await handle.result({ timeoutMs: 10_000 });
    await until(() => paused.lines.some((l) => l.text === `lost ${handle.id}`), 10_000, "late completion refused");
    await sleep(2_500); // the paused worker's handler has had time to finish as well
    const completions = [...paused.lines, ...other.lines].filter((l) => l.text === `completed ${handle.id}`);
    expect(completions).toHaveLength(1);
    expect(other.lines.some((l) => l.text === `completed ${handle.id}`)).toBe(true);
    const runs = (await readRuns(redis)).get("slow-1")!;
    expect(runs.map((r) => r.pid)).toEqual([paused.pid, other.pid]);
    await client.close();
  }, 60_000);
});

describe("a Redis restart", () => {
  it("loses no job, declares no live worker dead, and every worker resumes within 5 s", async () => {
    const env = { target: server.url, jobMs: 50 };
    // Started together, as the storms start theirs: each takes seconds to load, most of it waiting.
    workers.push(...(await Promise.all(Array.from({ length: 3 }, () => spawnWorker(env)))));
    const client = createClient({ connection: server.url });
    await client.enqueueDeleteTweetBulk(Array.from({ length: 2_000 }, (_, i) => ({ tweetId: `r${i}` })));
    await until(async () => (await redis.zcard("taskq:{social}:completed")) > 300, 20_000, "progress before restart");
    await server.restart(1_000);
    const back = Date.now();
    await until(async () => (await redis.zcard("taskq:{social}:completed").catch(() => 0)) === 2_000, 60_000, "all complete");
    for (const w of workers) {
      const firstAfter = w.lines.find((l) => l.at > back && l.text.startsWith("completed "));
      expect(firstAfter, `worker ${w.pid} resumed`).toBeDefined();
      expect(firstAfter!.at - back).toBeLessThan(5_000);
    }
    const monitor = new Monitor({ connection: server.url, queues: [{ name: "social" }] });
    const listed = await monitor.listWorkers();
    expect(listed).toHaveLength(3);
    expect(listed.every((w) => w.state === "live")).toBe(true);
    await monitor.close();
    const runs = await readRuns(redis);
    const twice = [...runs.values()].filter((r) => r.length > 1).length;
    expect(runs.size).toBe(2_000);
    expect(await redis.zcard("taskq:{social}:dead")).toBe(0);
    // No worker died, so nothing may run twice except a job whose fetch reply the restart cut off.
    expect(twice).toBeLessThanOrEqual(3 * 10);
    await client.close();
  }, 120_000);
});

describe("graceful shutdown", () => {
  it("on SIGTERM finishes running jobs, gives nothing to run twice, and exits", async () => {
    const worker = await spawnWorker({ target: server.url, jobMs: 300, concurrency: 5, shutdownMs: 5_000 });
    workers.push(worker);
    const client = createClient({ connection: server.url });
    await client.enqueueDeleteTweetBulk(Array.from({ length: 50 }, (_, i) => ({ tweetId: `g${i}` })));
    await until(async () => (await redis.llen("chaos:log")) >= 5, 10_000, "jobs running");
    kill(worker, "SIGTERM");
    expect(await worker.exited).toBe(0);
    const started = (await redis.lrange("chaos:log", 0, -1)).length;
    expect(await redis.zcard("taskq:{social}:completed")).toBe(started);
    // No lease left (the index keeps its anchor, scored +inf: store/active-index.ts).
    expect(await redis.zcount("taskq:{social}:active", "-inf", "(+inf")).toBe(0);
    const waiting = await redis.llen("taskq:{social}:wait:3");
    expect(waiting).toBe(50 - started);
    expect(worker.lines.at(-1)?.text).toBe("closed");
    await client.close();
  }, 60_000);
});
