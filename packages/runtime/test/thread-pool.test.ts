import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, JobFailedError, Worker } from "../src/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let server: TestRedis;
let client: Client;

beforeAll(async () => {
  server = await startRedis();
  client = new Client({ connection: server.url });
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

describe("a thread pool", () => {
  it("runs CPU-heavy handlers in worker threads while heartbeats keep every lease", async () => {
    const def = tweetJob(uniquePrefix(), { attempts: 1 });
    const module = new URL("./fixtures/cpu-handlers.ts", import.meta.url);
    const notUsed = async () => ({ tweetId: "main thread" });
    const worker = new Worker({
      connection: server.url,
      queues: [{ ...registration(def, notUsed, 2), pool: { module, threads: 2 } }],
      // A lease of 300 ms: a blocked event loop would lose every one of these 1-second jobs.
      deadAfterMs: 400,
      heartbeatMs: 100,
    });
    const lost: string[] = [];
    worker.on("lost", (e) => lost.push(e.job.id));
    const handles = await client.enqueueBulk(
      def,
      Array.from({ length: 4 }, () => ({ content: "1000" })),
    );
    const results = await Promise.all(handles.map((h) => h.result({ timeoutMs: 15_000 })));
    await worker.close();
    expect(lost).toEqual([]);
    expect(new Set(results.map((r) => r.tweetId)).size).toBe(2);
    expect(results.every((r) => /^thread-[1-9]/.test(r.tweetId))).toBe(true);
  }, 30_000);

  it("keeps a PermanentError thrown in a thread permanent", async () => {
    const def = tweetJob(uniquePrefix());
    const worker = new Worker({
      connection: server.url,
      queues: [
        { ...registration(def, async () => ({ tweetId: "x" }), 1), pool: { module: new URL("./fixtures/cpu-handlers.ts", import.meta.url), threads: 1 } },
      ],
    });
    const handle = await client.enqueue(def, { content: "refuse" });
    const error = await handle.result({ timeoutMs: 10_000 }).catch((e) => e);
    await worker.close();
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toMatchObject({ name: "PermanentError", message: "refused in a thread" });
  }, 30_000);
});
