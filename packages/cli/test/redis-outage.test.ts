/**
 * `taskq worker` and `taskq task-manager` while Redis is gone: they wait through the outage, say so
 * once (not once per reconnect attempt), say once that it is back, and stop on the first SIGTERM
 * within the shutdown timeout whether Redis answers or not.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { exitOf, startTaskq } from "./run-cli.js";

let redis: TestRedis;
beforeEach(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await redis.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, "g"))?.length ?? 0;
}

/** Waits until a worker or TaskManager is connected: it has ticked the queue's clock (see queue-clock.lua). */
async function connected(): Promise<void> {
  const plain = new Redis(redis.port, "127.0.0.1");
  try {
    for (const end = Date.now() + 20_000; (await plain.exists("taskq:{social}:clock")) === 0 && Date.now() < end;) await sleep(50);
  } finally {
    plain.disconnect();
  }
}

async function until(condition: () => boolean, withinMs: number): Promise<void> {
  for (const end = Date.now() + withinMs; !condition() && Date.now() < end;) await sleep(50);
}

describe("taskq worker while Redis is gone", () => {
  it("logs the loss and the return once each through many reconnects, and exits 0 on the first SIGTERM within its shutdown timeout", async () => {
    const { child, output } = await startTaskq(["worker", "examples/tweet/generated", "--redis", redis.url, "--shutdown-timeout", "3000"], /serving social/);
    await connected();
    await redis.down();
    // ioredis retries after 50, 100, 150 ms and so on: a dozen failed reconnects in 3 s.
    await sleep(3_000);
    await redis.up();
    await until(() => /is back after/.test(output()), 10_000);
    expect(count(output(), new RegExp(`lost Redis at 127\\.0\\.0\\.1:${redis.port}`))).toBe(1);
    expect(count(output(), new RegExp(`Redis at 127\\.0\\.0\\.1:${redis.port} is back after \\d+\\.\\d s`))).toBe(1);
    expect(count(output(), /ECONNREFUSED/)).toBeLessThanOrEqual(1);

    await redis.down();
    await until(() => count(output(), /lost Redis/) === 2, 5_000);
    await sleep(1_000);
    const startedAt = Date.now();
    child.kill("SIGTERM");
    const code = await exitOf(child);
    expect(code).toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
  }, 60_000);

  it("starts without Redis, waiting for it, and exits on SIGTERM", async () => {
    await redis.down();
    const { child, output } = await startTaskq(["worker", "examples/tweet/generated", "--redis", redis.url], /cannot reach Redis/);
    await sleep(1_500);
    const startedAt = Date.now();
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(count(output(), /cannot reach Redis|lost Redis/)).toBe(1);
  }, 60_000);
});

describe("taskq task-manager while Redis is gone", () => {
  it("logs the loss once and exits 0 on the first SIGTERM", async () => {
    const { child, output } = await startTaskq(["task-manager", "--queues", "social", "--redis", redis.url], /looking after social/);
    await connected();
    await redis.down();
    await sleep(2_500);
    const startedAt = Date.now();
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(count(output(), /lost Redis/)).toBe(1);
    expect(count(output(), /ECONNREFUSED|MaxRetriesPerRequest/)).toBeLessThanOrEqual(1);
  }, 60_000);
});
