/**
 * The small pieces of a worker's queue runner, each on its own: the clock that ages fetch replies,
 * the lease tokens, and the batcher (the slot budget's tests are in shards.test.ts).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { queueKeys } from "../src/redis/keys.js";
import { Batcher } from "../src/worker/batcher.js";
import { JobAbort } from "../src/worker/job-abort.js";
import type { LeasedJob } from "../src/worker/leased-job.js";
import { LeaseTokens } from "../src/worker/lease-tokens.js";
import { ReplyClock } from "../src/worker/reply-clock.js";
import type { Outcome } from "../src/worker/run-job.js";
import { tweetJob, uniquePrefix } from "./fixtures.js";

describe("ReplyClock", () => {
  it("ages a quick reply by the time since its lease, on Redis's clock", () => {
    const clock = new ReplyClock();
    const now = vi.spyOn(Date, "now");
    try {
      // Redis is 5 s ahead of this process; the reply took 20 ms.
      now.mockReturnValue(1_000_020);
      expect(clock.age(1_005_020, 1_000_000)).toBe(0);
      // Leased at Redis time 1 010 000 (local 1 005 000), read at local 1 040 000 after the process
      // was frozen: 35 s old, by the offset learnt above, though the call itself took 40 s.
      now.mockReturnValue(1_040_000);
      expect(clock.age(1_010_000, 1_000_000)).toBe(35_000);
    } finally {
      now.mockRestore();
    }
  });

  it("learns no offset from a slow reply", () => {
    const clock = new ReplyClock();
    const now = vi.spyOn(Date, "now");
    try {
      now.mockReturnValue(2_000);
      // Sent at 0, received at 2 000: too slow to say when the lease was granted; no offset known yet.
      expect(clock.age(1_500, 0)).toBe(500);
    } finally {
      now.mockRestore();
    }
  });
});

describe("LeaseTokens", () => {
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

  it("refuses a token before the base is taken", () => {
    const tokens = new LeaseTokens(redis, queueKeys(uniquePrefix(), "q"), 0);
    expect(() => tokens.next()).toThrow(/lease-token base/);
  });

  it("gives every fetch of every runner of a queue a token no other fetch had", async () => {
    const keys = queueKeys(uniquePrefix(), "q");
    const runners = [new LeaseTokens(redis, keys, 0), new LeaseTokens(redis, keys, 0), new LeaseTokens(redis, keys, 0)];
    for (const runner of runners) {
      await runner.ready();
      await runner.ready(); // idempotent: the base is taken once
    }
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) for (const runner of runners) seen.add(runner.next());
    expect(seen.size).toBe(3_000);
    expect(Number(await redis.get(keys.seq))).toBe(3);
  });
});

describe("Batcher", () => {
  const definition = tweetJob(uniquePrefix(), { batch: { size: 3, waitMs: 40 } });
  let nextId = 0;
  const job = (content: string): LeasedJob => ({
    id: String(++nextId),
    token: `t:${nextId}`,
    name: "tweet",
    payload: JSON.stringify({ content }),
    version: 1,
    attempt: 1,
    maxAttempts: 3,
    createdAt: 0,
    startedAt: 0,
  });

  it("runs a full batch at once, and each job gets its own item's outcome", async () => {
    const batches: string[][] = [];
    const batcher = new Batcher(
      definition,
      (payloads) => {
        batches.push(payloads.map((p) => (p as { content: string }).content));
        return payloads.map((p) => ((p as { content: string }).content === "bad" ? new Error("bad item") : { tweetId: (p as { content: string }).content }));
      },
      "social",
      async () => {},
    );
    const outcomes = await Promise.all(["a", "bad", "c"].map((c) => batcher.add(job(c), new JobAbort())));
    expect(batches).toEqual([["a", "bad", "c"]]);
    expect(outcomes.map((o: Outcome) => o.kind)).toEqual(["completed", "retry", "completed"]);
  });

  it("runs a partial batch after waitMs, and splits more than size into batches of size", async () => {
    const batches: number[] = [];
    const batcher = new Batcher(
      definition,
      (payloads) => {
        batches.push(payloads.length);
        return payloads.map(() => ({ tweetId: "x" }));
      },
      "social",
      async () => {},
    );
    const started = Date.now();
    await batcher.add(job("lone"), new JobAbort());
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    batches.length = 0;
    const pending = ["1", "2", "3", "4", "5"].map((c) => batcher.add(job(c), new JobAbort()));
    await Promise.all(pending);
    expect(batches).toEqual([3, 2]);
  });

  it("aborts the whole batch when one member is aborted", async () => {
    let signal: AbortSignal | undefined;
    const batcher = new Batcher(
      definition,
      async (payloads, ctx) => {
        signal = ctx.signal;
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        return payloads.map(() => ({ tweetId: "late" }));
      },
      "social",
      async () => {},
    );
    const aborts = [new JobAbort(), new JobAbort(), new JobAbort()];
    const outcomes = Promise.all(aborts.map((abort, i) => batcher.add(job(String(i)), abort)));
    await vi.waitFor(() => expect(signal).toBeDefined());
    aborts[1].abort(new Error("lease lost"));
    expect(signal!.aborted).toBe(true);
    expect((await outcomes).every((o) => o.kind !== "completed")).toBe(true);
  });
});
