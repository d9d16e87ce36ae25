import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { exitOf, startTaskq } from "./run-cli.js";

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe("taskq task-manager", () => {
  it("puts a dead worker's job back in its queue, and exits 0 on SIGTERM", async () => {
    const base = "cli:{mail}:";
    // A job leased by a worker that died: its lease ran out a minute ago.
    await redis.hset(`${base}job:j1`, { n: "send", p: 2, m: 3, a: 1, ct: 1, s: "active", l: "7.1", w: "ghost:1:abc" });
    await redis.hset(`${base}data`, "j1", "{}");
    await redis.zadd(`${base}active`, Date.now() - 60_000, "j1");
    const { child, output } = await startTaskq(
      ["task-manager", "--queues", "mail", "--prefix", "cli", "--redis", server.url, "--dead-after", "300"],
      /took back 1 job of dead workers in mail/,
    );
    expect(output()).toContain("looking after mail (prefix cli)");
    expect(await redis.hget(`${base}job:j1`, "s")).toBe("waiting");
    expect(await redis.lrange(`${base}wait:2`, 0, -1)).toEqual(["j1"]);
    expect(await redis.zcard(`${base}active`)).toBe(0);
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
  }, 30_000);
});
