import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, JobFailedError, PermanentError, RateLimitError, TaskManager, Worker } from "../src/index.js";
import { type Handler, type JobDefinition } from "../src/internal.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, type Posted, type Tweet, useTopology } from "./fixtures.js";

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const workers = useTopology(kind, (suite) => ({ topo, client, redis } = suite));

  function work(definition: JobDefinition<any, any>, handler: Handler, options: { concurrency?: number; autostart?: boolean } = {}): Worker {
    const worker = new Worker({
      connection: topo.connection,
      queues: [registration(definition, handler, options.concurrency ?? 1)],
      autostart: options.autostart,
      shutdownTimeoutMs: 2_000,
    });
    workers.push(worker);
    return worker;
  }

  describe("worker", () => {
    it("runs a job and hands back its typed result", async () => {
      const def = tweetJob(uniquePrefix());
      work(def, async (p: Tweet, ctx) => ({ tweetId: `${ctx.id}:${p.content.length}` }));
      const handle = await client.enqueue(def, { content: "hello" });
      const posted: Posted = await handle.result({ timeoutMs: 5_000 });
      expect(posted.tweetId).toBe(`${handle.id}:5`);
      expect(await handle.state()).toBe("completed");
    });

    it("keeps a completed job for its keepResultMs, then removes its record, payload, errors and logs", async () => {
      const prefix = uniquePrefix();
      const base = `${prefix}:{social}:`;
      const brief = tweetJob(prefix, { keepResultMs: 300, backoff: { type: "fixed", delayMs: 10 } });
      const kept = tweetJob(prefix, { name: "kept", keepResultMs: 60_000 });
      const handler = async (p: Tweet, ctx: { attempt: number; log(m: string): Promise<void> }) => {
        await ctx.log(`attempt ${ctx.attempt}`);
        if (p.content === "flaky" && ctx.attempt === 1) throw new Error("first attempt fails");
        return { tweetId: p.content };
      };
      const worker = new Worker({
        connection: topo.connection,
        queues: [{ name: "social", prefix, concurrency: 1, jobs: { tweet: { definition: brief, handler }, kept: { definition: kept, handler } } }],
        shutdownTimeoutMs: 2_000,
      });
      workers.push(worker);
      const a = await client.enqueue(brief, { content: "flaky" });
      const b = await client.enqueue(kept, { content: "stays" });
      await a.result({ timeoutMs: 5_000 });
      await b.result({ timeoutMs: 5_000 });
      // Kept for now, and with no TTL: it goes by the `completed` index, not by expiry.
      expect(await redis.pttl(`${base}job:${a.id}`)).toBe(-1);
      expect(await redis.exists(`${base}errors:${a.id}`, `${base}logs:${a.id}`)).toBe(2);
      expect(await redis.hexists(`${base}data`, a.id)).toBe(1);
      await new Promise((r) => setTimeout(r, 400));
      // No completion comes after: a TaskManager pass removes it.
      const manager = new TaskManager({ connection: topo.connection, queues: [{ name: "social", prefix }], intervalMs: 20 });
      try {
        const end = Date.now() + 5_000;
        while ((await redis.exists(`${base}job:${a.id}`)) === 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      } finally {
        await manager.stop();
      }
      expect(await redis.exists(`${base}job:${a.id}`, `${base}errors:${a.id}`, `${base}logs:${a.id}`)).toBe(0);
      expect(await redis.hexists(`${base}data`, a.id)).toBe(0);
      expect(await redis.zscore(`${base}completed`, a.id)).toBeNull();
      // The other job type keeps its results for its own keepResultMs.
      expect(await b.state()).toBe("completed");
      expect(await redis.hexists(`${base}data`, b.id)).toBe(1);
    });

    it("completes on attempt 3 after two backoffs when a handler throws twice", async () => {
      const def = tweetJob(uniquePrefix(), { backoff: { type: "exponential", delayMs: 100 } });
      const seen: Array<{ attempt: number; at: number }> = [];
      work(def, async (_p, ctx) => {
        seen.push({ attempt: ctx.attempt, at: Date.now() });
        if (ctx.attempt < 3) throw new Error(`flaky ${ctx.attempt}`);
        return { tweetId: "ok" };
      });
      const handle = await client.enqueue(def, { content: "retry me" });
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "ok" });
      expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
      expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(95); // 100 ms
      expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(195); // 200 ms
      expect(await redis.lrange(`${def.queue.prefix}:{social}:errors:${handle.id}`, 0, -1)).toHaveLength(2);
    });

    it("dead-letters a job that always throws, with every attempt's error", async () => {
      const def = tweetJob(uniquePrefix());
      work(def, async (_p, ctx) => {
        throw new Error(`boom on ${ctx.attempt}`);
      });
      const handle = await client.enqueue(def, { content: "doomed" });
      const error = await handle.result({ timeoutMs: 5_000 }).catch((e) => e);
      expect(error).toBeInstanceOf(JobFailedError);
      expect(error.state).toBe("dead");
      expect(error.errors.map((e: { message: string }) => e.message)).toEqual(["boom on 1", "boom on 2", "boom on 3"]);
      const dlq = await client.deadLetterQueue("social", def.queue.prefix).list();
      expect(dlq).toHaveLength(1);
      expect(dlq[0]).toMatchObject({ id: handle.id, name: "tweet", attempts: 3, payload: JSON.stringify({ content: "doomed" }) });
      expect(dlq[0].errors).toHaveLength(3);
    });

    it("dead-letters at once on PermanentError", async () => {
      const def = tweetJob(uniquePrefix());
      let runs = 0;
      work(def, async () => {
        runs++;
        throw new PermanentError("account suspended");
      });
      const handle = await client.enqueue(def, { content: "x" });
      const error = await handle.result({ timeoutMs: 5_000 }).catch((e) => e);
      expect(error).toBeInstanceOf(JobFailedError);
      expect(error.errors).toHaveLength(1);
      expect(error.message).toMatch(/account suspended/);
      expect(runs).toBe(1);
    });

    it("dead-letters a payload that does not decode, with the reason, and keeps going", async () => {
      const def = tweetJob(uniquePrefix());
      work(def, async (p: Tweet) => ({ tweetId: p.content }));
      const base = `${def.queue.prefix}:{social}:`;
      // A producer that bypassed validation: hand-written records.
      await redis.hset(`${base}job:bad1`, { n: "tweet", v: 1, p: 2, a: 0, m: 3, ct: 0, s: "waiting" });
      await redis.hset(`${base}job:bad2`, { n: "tweet", v: 1, p: 2, a: 0, m: 3, ct: 0, s: "waiting" });
      await redis.hset(`${base}data`, { bad1: '{"content":42}', bad2: "{not json" });
      await redis.lpush(`${base}wait:2`, "bad1", "bad2");
      const good = await client.enqueue(def, { content: "still alive" });
      expect(await good.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "still alive" });
      const dead = await client.deadLetterQueue("social", def.queue.prefix).list();
      expect(dead.map((d) => d.id).sort()).toEqual(["bad1", "bad2"]);
      const reasons = Object.fromEntries(dead.map((d) => [d.id, d.errors[0].message]));
      expect(reasons.bad1).toMatch(/\/content: type/);
      expect(reasons.bad2).toMatch(/not JSON/);
      expect(dead.every((d) => d.errors.length === 1)).toBe(true);
    });

    it("runs a critical job enqueued behind 1,000 normal ones before them", async () => {
      const def = tweetJob(uniquePrefix());
      const order: string[] = [];
      await client.enqueueBulk(
        def,
        Array.from({ length: 1_000 }, (_, i) => ({ content: `normal ${i}` })),
      );
      const critical = await client.enqueue(def, { content: "urgent" }, { priority: "critical" });
      work(def, async (p: Tweet) => {
        order.push(p.content);
        return { tweetId: p.content };
      });
      await critical.result({ timeoutMs: 5_000 });
      expect(order[0]).toBe("urgent");
    });

    it("puts a rate-limited job back without counting the attempt", async () => {
      const def = tweetJob(uniquePrefix(), { attempts: 1 });
      const attempts: number[] = [];
      work(def, async (_p, ctx) => {
        attempts.push(ctx.attempt);
        if (attempts.length < 3) throw new RateLimitError(20);
        return { tweetId: "finally" };
      });
      const handle = await client.enqueue(def, { content: "x" });
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "finally" });
      expect(attempts).toEqual([1, 1, 1]);
    });

    it("fails an attempt that runs past timeoutMs and aborts its signal", async () => {
      const def = tweetJob(uniquePrefix(), { attempts: 2, timeoutMs: 50 });
      const aborted: boolean[] = [];
      work(
        def,
        (_p, ctx) =>
          new Promise<Posted>((resolve) => {
            ctx.signal.addEventListener("abort", () => aborted.push(true));
            setTimeout(() => resolve({ tweetId: "too late" }), 1_000);
          }),
      );
      const handle = await client.enqueue(def, { content: "slow" });
      const error = await handle.result({ timeoutMs: 5_000 }).catch((e) => e);
      expect(error).toBeInstanceOf(JobFailedError);
      expect(error.errors.map((e: { message: string }) => e.message)).toEqual(["timed out after 50 ms", "timed out after 50 ms"]);
      expect(aborted).toEqual([true, true]);
    });

    it("runs up to `concurrency` jobs at once, never more", async () => {
      const def = tweetJob(uniquePrefix());
      let running = 0;
      let peak = 0;
      work(
        def,
        async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 20));
          running--;
          return { tweetId: "x" };
        },
        { concurrency: 4 },
      );
      const handles = await client.enqueueBulk(
        def,
        Array.from({ length: 40 }, (_, i) => ({ content: `c${i}` })),
      );
      await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })));
      expect(peak).toBe(4);
    });

    it("starts a delayed job no sooner than its delay", async () => {
      const def = tweetJob(uniquePrefix());
      let startedAt = 0;
      work(def, async () => {
        startedAt = Date.now();
        return { tweetId: "later" };
      });
      await new Promise((r) => setTimeout(r, 50)); // the worker is idle, blocked on the marker
      const enqueuedAt = Date.now();
      const handle = await client.enqueue(def, { content: "later" }, { delayMs: 300 });
      expect(await handle.state()).toBe("delayed");
      await handle.result({ timeoutMs: 5_000 });
      expect(startedAt - enqueuedAt).toBeGreaterThanOrEqual(295);
      expect(startedAt - enqueuedAt).toBeLessThan(450);
    });

    it("retries after the delay a custom backoff function gives", async () => {
      const def = tweetJob(uniquePrefix(), { backoff: { type: "custom", name: "afterRetryAfter" } });
      const starts: number[] = [];
      const handler = async (_p: Tweet, ctx: { attempt: number }) => {
        starts.push(Date.now());
        if (ctx.attempt === 1) throw Object.assign(new Error("429"), { retryAfterMs: 250 });
        return { tweetId: "ok" };
      };
      // The generated worker wires a jobs.ts function in the same way.
      const queue = registration(def, handler);
      const worker = new Worker({
        connection: topo.connection,
        queues: [{ ...queue, jobs: { tweet: { ...queue.jobs.tweet, backoff: (_attempt, error) => (error as { retryAfterMs: number }).retryAfterMs } } }],
      });
      workers.push(worker);
      const handle = await client.enqueue(def, { content: "x" });
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "ok" });
      expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(245);
    });

    it("retries dead jobs from the dead-letter queue", async () => {
      const def = tweetJob(uniquePrefix(), { attempts: 1 });
      let fail = true;
      work(def, async () => {
        if (fail) throw new Error("down");
        return { tweetId: "recovered" };
      });
      const handle = await client.enqueue(def, { content: "x" });
      await expect(handle.result({ timeoutMs: 5_000 })).rejects.toBeInstanceOf(JobFailedError);
      fail = false;
      const dlq = client.deadLetterQueue("social", def.queue.prefix);
      expect(await dlq.retry({ name: "tweet" })).toBe(1);
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "recovered" });
      expect(await dlq.count()).toBe(0);
    });
  });
});
