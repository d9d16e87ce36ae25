/**
 * Producers while Redis is gone: an enqueue rejects within `redisTimeoutMs` with RedisUnavailableError
 * naming the address (never the password), writes nothing then or later, and the same client enqueues
 * again once Redis is back. Each test stops its own redis-server.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client, RedisUnavailableError, ValidationError } from "../src/index.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import {
  createClient,
  configure,
  closeDefaultClient,
  enqueueTweet,
  RedisUnavailableError as GeneratedRedisUnavailableError,
} from "../../../examples/tweet/generated/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { tweetJob } from "./fixtures.js";

let redis: TestRedis;
beforeEach(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await redis.stop();
});

/** How long `call` took to settle, and its error. */
async function timed(call: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const startedAt = Date.now();
  try {
    await call();
    return { ms: Date.now() - startedAt, error: undefined };
  } catch (error) {
    return { ms: Date.now() - startedAt, error };
  }
}

/** Calls `call` until it succeeds (Redis came back and the connection reconnected), for at most `withinMs`. */
async function eventually<T>(call: () => Promise<T>, withinMs: number): Promise<T> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof RedisUnavailableError) || Date.now() > until) throw error;
    }
  }
}

async function jobsIn(prefix: string): Promise<number> {
  const plain = new Redis(redis.port, "127.0.0.1");
  try {
    // Every job has a data entry (a waiting one may have no record yet: store/pending-job.ts).
    return await plain.hlen(`${prefix}:{social}:data`);
  } finally {
    plain.disconnect();
  }
}

describe("a producer while Redis is unreachable", () => {
  it("rejects within redisTimeoutMs naming host and port, writes nothing, and enqueues again once Redis is back", async () => {
    const definition = tweetJob("outage");
    const client = new Client({ connection: `redis://:s3cret-pw@127.0.0.1:${redis.port}`, redisTimeoutMs: 800 });
    try {
      await client.enqueue(definition, { content: "before" });
      await redis.down();
      // A call racing the kill may have been sent on the dying socket: that one is `maybeWritten`.
      while (client.redis.status === "ready") await new Promise((resolve) => setTimeout(resolve, 10));
      for (let i = 0; i < 3; i++) {
        const { ms, error } = await timed(() => client.enqueue(definition, { content: `during ${i}` }));
        expect(error).toBeInstanceOf(RedisUnavailableError);
        expect(error).toMatchObject({ code: "E_REDIS_UNAVAILABLE", address: `127.0.0.1:${redis.port}`, maybeWritten: false });
        expect((error as Error).message).toContain(`127.0.0.1:${redis.port}`);
        expect((error as Error).message).not.toContain("s3cret");
        expect(ms).toBeGreaterThanOrEqual(700);
        expect(ms).toBeLessThan(2_000);
      }
      // A payload that does not validate is refused as such, without waiting on Redis.
      const invalid = await timed(() => client.enqueue(definition, { content: "" }));
      expect(invalid.error).toBeInstanceOf(ValidationError);
      expect(invalid.ms).toBeLessThan(100);

      await redis.up();
      const handle = await eventually(() => client.enqueue(definition, { content: "after" }), 10_000);
      expect(await handle.state()).toBe("waiting");
      // The server came back empty (it persists nothing), and the refused calls were never queued
      // to run later: the one job is the one enqueued after.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await jobsIn("outage")).toBe(1);
    } finally {
      await client.close();
    }
  });

  it("rejects a bulk enqueue, a schedule and many calls at once the same way", async () => {
    const definition = tweetJob("outage");
    const client = new Client({ connection: redis.url, redisTimeoutMs: 500 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      await redis.down();
      // A burst of requests during the outage: each fails alone, none leaks a listener.
      const burst = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => client.enqueue(definition, { content: `burst ${i}` })));
      expect(burst.every((result) => result.status === "rejected" && result.reason instanceof RedisUnavailableError)).toBe(true);
      const bulk = await timed(() => client.enqueueBulk(definition, [{ content: "a" }, { content: "b" }]));
      expect(bulk.error).toBeInstanceOf(RedisUnavailableError);
      expect((bulk.error as Error).message).toMatch(/enqueue of 2 tweet jobs wrote nothing/);
      const schedule = await timed(() => client.schedule(definition, { everyMs: 1_000 }, { content: "a" }));
      expect(schedule.error).toBeInstanceOf(RedisUnavailableError);
      expect(Math.max(bulk.ms, schedule.ms)).toBeLessThan(1_500);
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await client.close();
    }
  });

  it("bounds a client that never reached Redis (nothing listens at the address) by the same option", async () => {
    await redis.down();
    const client = new Client({ connection: redis.url, redisTimeoutMs: 600 });
    try {
      const { ms, error } = await timed(() => client.enqueue(tweetJob("outage"), { content: "x" }));
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
      expect(ms).toBeLessThan(1_500);
    } finally {
      await client.close();
    }
  });

  it("rejects the generated functions with the RedisUnavailableError their index.ts re-exports, by default within 5 s", async () => {
    const client = createClient({ connection: redis.url, redisTimeoutMs: 500 });
    configure({ connection: redis.url });
    try {
      await redis.down();
      const own = await timed(() => client.enqueueTweet({ content: "x" }));
      expect(own.error).toBeInstanceOf(GeneratedRedisUnavailableError);
      expect(GeneratedRedisUnavailableError).toBe(RedisUnavailableError);
      const fromDefault = await timed(() => enqueueTweet({ content: "x" }));
      expect(fromDefault.error).toBeInstanceOf(RedisUnavailableError);
      expect(fromDefault.ms).toBeGreaterThanOrEqual(4_500);
      expect(fromDefault.ms).toBeLessThan(6_500);
    } finally {
      await client.runtime.close();
      await closeDefaultClient();
    }
  });

  it("answers a REST enqueue with 503 naming the address, and 201 once Redis is back", async () => {
    const { definitions } = await import("../../../examples/tweet/generated/client.js");
    const server: ApiServer = await createApiServer({ connection: redis.url, definitions, redisTimeoutMs: 500, tokens: {} });
    try {
      await redis.down();
      const post = () => server.app.inject({ method: "POST", url: "/jobs", payload: { name: "tweet", payload: { content: "x" } } });
      const startedAt = Date.now();
      const refused = await post();
      expect(Date.now() - startedAt).toBeLessThan(1_500);
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toMatchObject({ error: expect.stringContaining(`127.0.0.1:${redis.port}`), details: { code: "E_REDIS_UNAVAILABLE" } });
      await redis.up();
      const until = Date.now() + 10_000;
      let created = await post();
      while (created.statusCode === 503 && Date.now() < until) created = await post();
      expect(created.statusCode).toBe(201);
    } finally {
      await server.close();
    }
  });

  it("answers /health and /health/ready 503 with the reason within 1 s, /health/live 200, and ready again once Redis is back", async () => {
    const server: ApiServer = await createApiServer({ connection: redis.url, tokens: {} });
    const port = await server.listen({ port: 0 });
    // A probe as Kubernetes makes it: 1 s, then it counts as failed.
    const probe = async (path: string) => {
      const startedAt = Date.now();
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(1_000) });
      return { status: response.status, body: (await response.json()) as { status: string; error?: string }, ms: Date.now() - startedAt };
    };
    try {
      // Ready once its connection is: a server just started may answer 503 until then.
      let first = await probe("/health/ready");
      for (const end = Date.now() + 10_000; first.status !== 200 && Date.now() < end;) first = await probe("/health/ready");
      expect(first).toMatchObject({ status: 200, body: { status: "ok" } });
      await redis.down();
      for (const path of ["/health", "/health/ready", "/health/ready"]) {
        const answer = await probe(path);
        expect(answer).toMatchObject({ status: 503, body: { status: "unavailable", error: expect.stringContaining(`Redis at 127.0.0.1:${redis.port}`) } });
        expect(answer.ms).toBeLessThan(1_000);
      }
      expect(await probe("/health/live")).toMatchObject({ status: 200, body: { status: "ok" } });
      await redis.up();
      let ready = await probe("/health/ready");
      for (const end = Date.now() + 10_000; ready.status !== 200 && Date.now() < end;) ready = await probe("/health/ready");
      expect(ready.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("rejects enqueues a connected but paused Redis does not answer within their own redisTimeoutMs, as maybe written", async () => {
    const definition = tweetJob("outage");
    const slow = new Client({ connection: redis.url, redisTimeoutMs: 900 });
    const fast = new Client({ connection: redis.url, redisTimeoutMs: 300 });
    try {
      await Promise.all([slow.enqueue(definition, { content: "warm" }), fast.enqueue(definition, { content: "warm" })]);
      redis.process.kill("SIGSTOP");
      try {
        // Deadlines are watched per bound by one timer: each call must still get its own.
        const first = timed(() => slow.enqueue(definition, { content: "first" }));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const second = timed(() => slow.enqueue(definition, { content: "second" }));
        const shorter = timed(() => fast.enqueue(definition, { content: "shorter" }));
        const [a, b, c] = await Promise.all([first, second, shorter]);
        for (const { error } of [a, b, c]) expect(error).toMatchObject({ code: "E_REDIS_UNAVAILABLE", maybeWritten: true });
        expect((a.error as Error).message).toMatch(/did not answer within 900 ms \(redisTimeoutMs\): the enqueue of tweet may or may not/);
        for (const { ms } of [a, b]) expect(ms).toBeGreaterThanOrEqual(890);
        for (const { ms } of [a, b]) expect(ms).toBeLessThan(1_400);
        expect(c.ms).toBeGreaterThanOrEqual(290);
        expect(c.ms).toBeLessThan(800);
      } finally {
        redis.process.kill("SIGCONT");
      }
      // Redis answers the calls that were out once it runs again, and the next calls go through.
      expect((await slow.enqueue(definition, { content: "after" })).id).toMatch(/^\d+$/);
    } finally {
      await Promise.all([slow.close(), fast.close()]);
    }
  });

  it("answers /health/ready 503 within 1 s when Redis is connected but does not answer (paused)", async () => {
    const server: ApiServer = await createApiServer({ connection: redis.url, tokens: {} });
    try {
      const readyStatus = async () => {
        let status = 0;
        for (const end = Date.now() + 10_000; status !== 200 && Date.now() < end;) {
          await new Promise((resolve) => setTimeout(resolve, 50)); // inject() alone never yields to I/O
          status = (await server.app.inject({ method: "GET", url: "/health/ready" })).statusCode;
        }
        return status;
      };
      expect(await readyStatus()).toBe(200);
      redis.process.kill("SIGSTOP");
      try {
        const startedAt = Date.now();
        const answers = await Promise.all([1, 2, 3].map(() => server.app.inject({ method: "GET", url: "/health/ready" })));
        expect(Date.now() - startedAt).toBeLessThan(1_000);
        for (const answer of answers) {
          expect(answer.statusCode).toBe(503);
          expect(answer.json().error).toMatch(/did not answer a PING within \d+ ms/);
        }
      } finally {
        redis.process.kill("SIGCONT");
      }
      expect(await readyStatus()).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("closes the REST server at once while Redis is unreachable", async () => {
    const server: ApiServer = await createApiServer({ connection: redis.url, tokens: {} });
    await server.listen({ port: 0 });
    await redis.down();
    const startedAt = Date.now();
    await server.close();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });
});
