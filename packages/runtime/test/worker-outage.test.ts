/**
 * A worker while Redis is gone: it reports the loss and the return once each, stops within its
 * shutdown timeout though Redis does not answer, and loses nothing: the job it was running when it
 * stopped keeps its lease, which expires, and another worker runs it once Redis is back.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Client, Worker, type ConnectionChange } from "../src/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let redis: TestRedis;
beforeEach(async () => {
  // Every write on disk before it is acknowledged, so the restarted server still has the job.
  redis = await startRedis({ aof: true });
});
afterEach(async () => {
  await redis.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a worker while Redis is unreachable", () => {
  it("stops within shutdownTimeoutMs with a job running, and the job runs again on another worker once Redis is back", async () => {
    const definition = tweetJob(uniquePrefix());
    const client = new Client({ connection: redis.url });
    const changes: ConnectionChange[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = new Worker({
      connection: redis.url,
      queues: [
        registration(definition, async () => {
          started();
          await sleep(60_000); // ignores its abort signal: the stop must not wait for it
          return { tweetId: "slow" };
        }),
      ],
      shutdownTimeoutMs: 1_500,
      deadAfterMs: 2_000,
    });
    slow.on("connection", (change) => changes.push(change));
    const handle = await client.enqueue(definition, { content: "survives" });
    await running;

    await redis.down();
    await sleep(1_000);
    const startedAt = Date.now();
    await slow.close();
    const tookMs = Date.now() - startedAt;
    // The shutdown timeout, and no more: with Redis away the aborted job cannot be given back; its
    // lease expires instead.
    expect(tookMs).toBeGreaterThanOrEqual(1_400);
    expect(tookMs).toBeLessThan(2_200);
    expect(changes.map((c) => c.state)).toEqual(["lost"]);

    await redis.up();
    const rescuer = new Worker({ connection: redis.url, queues: [registration(definition, async () => ({ tweetId: "rescued" }))], deadAfterMs: 2_000 });
    rescuer.on("connection", (change) => changes.push(change));
    try {
      expect(await handle.result({ timeoutMs: 15_000 })).toEqual({ tweetId: "rescued" });
    } finally {
      await rescuer.close();
      await client.close();
    }
  });

  it("reports the loss once through many reconnects and the return once", async () => {
    const definition = tweetJob(uniquePrefix());
    const changes: ConnectionChange[] = [];
    const errors: Error[] = [];
    const client = new Client({ connection: redis.url });
    const worker = new Worker({ connection: redis.url, queues: [registration(definition, async () => ({ tweetId: "x" }))] });
    worker.on("connection", (change) => changes.push(change));
    worker.on("error", (error) => errors.push(error));
    try {
      // Connected once its first heartbeat put it on the queue's worker list.
      while ((await client.redis.zcard(`${definition.queue.prefix}:{social}:workers`)) === 0) await sleep(50);
      await redis.down();
      await sleep(2_500);
      await redis.up();
      for (const end = Date.now() + 10_000; changes.length < 2 && Date.now() < end;) await sleep(50);
      expect(changes.map((c) => c.state)).toEqual(["lost", "restored"]);
      expect(changes[0]).toMatchObject({ address: `127.0.0.1:${redis.port}`, message: expect.stringContaining(`lost Redis at 127.0.0.1:${redis.port}`) });
      expect(changes[1].downMs).toBeGreaterThanOrEqual(2_000);
      expect(errors).toEqual([]);
    } finally {
      await worker.close();
      await client.close();
    }
  });
});
