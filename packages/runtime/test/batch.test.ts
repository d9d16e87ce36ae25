import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client, JobFailedError, PermanentError, Worker, type BatchContext } from "../src/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix, type Posted, type Tweet } from "./fixtures.js";

let server: TestRedis;
let client: Client;
const workers: Worker[] = [];

beforeAll(async () => {
  server = await startRedis();
  client = new Client({ connection: server.url });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

function batchWorker(def: ReturnType<typeof tweetJob>, handler: (payloads: Tweet[], ctx: BatchContext) => Promise<Array<Posted | Error>>, concurrency = 100) {
  const worker = new Worker({ connection: server.url, queues: [registration(def, handler as never, concurrency)], shutdownTimeoutMs: 2_000 });
  workers.push(worker);
  return worker;
}

describe("batch handlers", () => {
  it("hands the handler up to `size` payloads at once", async () => {
    const def = tweetJob(uniquePrefix(), { batch: { size: 25, waitMs: 50 } });
    const sizes: number[] = [];
    const handles = await client.enqueueBulk(
      def,
      Array.from({ length: 100 }, (_, i) => ({ content: `b${i}` })),
    );
    batchWorker(def, async (payloads) => {
      sizes.push(payloads.length);
      return payloads.map((p) => ({ tweetId: p.content }));
    });
    const results = await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })));
    expect(results.map((r) => r.tweetId)).toEqual(Array.from({ length: 100 }, (_, i) => `b${i}`));
    expect(Math.max(...sizes)).toBe(25);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("runs a partial batch after waitMs", async () => {
    const def = tweetJob(uniquePrefix(), { batch: { size: 100, waitMs: 80 } });
    const sizes: number[] = [];
    batchWorker(def, async (payloads) => (sizes.push(payloads.length), payloads.map(() => ({ tweetId: "x" }))));
    const started = Date.now();
    const handles = await client.enqueueBulk(def, [{ content: "a" }, { content: "b" }, { content: "c" }]);
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })));
    expect(sizes).toEqual([3]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("reports failures per item: an Error entry retries or dead-letters that item alone", async () => {
    const def = tweetJob(uniquePrefix(), { batch: { size: 10, waitMs: 20 }, attempts: 2, backoff: { type: "fixed", delayMs: 10 } });
    const runs = new Map<string, number>();
    batchWorker(def, async (payloads, ctx) =>
      payloads.map((p, i) => {
        runs.set(p.content, (runs.get(p.content) ?? 0) + 1);
        if (p.content === "flaky" && ctx.attempts[i] === 1) return new Error("try again");
        if (p.content === "bad") return new PermanentError("refused");
        return { tweetId: p.content };
      }),
    );
    const [ok, flaky, bad] = await client.enqueueBulk(def, [{ content: "ok" }, { content: "flaky" }, { content: "bad" }]);
    expect(await ok.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "ok" });
    expect(await flaky.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "flaky" });
    const error = await bad.result({ timeoutMs: 5_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.errors).toHaveLength(1);
    expect(runs.get("ok")).toBe(1);
    expect(runs.get("flaky")).toBe(2);
  });

  it("fails every item when the handler throws, and refuses a result of the wrong length", async () => {
    const def = tweetJob(uniquePrefix(), { batch: { size: 10, waitMs: 20 }, attempts: 1 });
    let call = 0;
    batchWorker(def, async (payloads) => {
      call++;
      if (call === 1) throw new Error("database down");
      return payloads.slice(1).map(() => ({ tweetId: "x" }));
    });
    const first = await client.enqueueBulk(def, [{ content: "a" }, { content: "b" }]);
    for (const h of first) await expect(h.result({ timeoutMs: 5_000 })).rejects.toThrow(/database down/);
    const second = await client.enqueueBulk(def, [{ content: "c" }, { content: "d" }]);
    for (const h of second) await expect(h.result({ timeoutMs: 5_000 })).rejects.toThrow(/one entry per payload \(2\), got 1 entries/);
  });
});
