import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import { Client, Worker } from "../src/index.js";
import { createJobMetrics, instrumentClient, instrumentWorker, registerClusterMetrics, serveMetrics } from "../src/metrics/index.js";
import { QueueInspector } from "../src/admin/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let server: TestRedis;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

/** The value of one sample line of a Prometheus text exposition. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("metrics", () => {
  it("counts enqueues, outcomes, waits and durations, scraped from a worker's /metrics", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix, { attempts: 2, backoff: { type: "fixed", delayMs: 10 } });
    const metrics = createJobMetrics();
    const client = instrumentClient(new Client({ connection: server.url }), metrics);
    const worker = new Worker({
      connection: server.url,
      queues: [
        registration(
          def,
          async (p: { content: string }, ctx) => {
            await new Promise((r) => setTimeout(r, 20));
            if (p.content === "fail") throw new Error(`no ${ctx.attempt}`);
            return { tweetId: "1" };
          },
          4,
        ),
      ],
    });
    const instrumented = instrumentWorker(worker, { connection: server.url, queues: [{ name: "social", prefix }], metrics });
    const endpoint = await serveMetrics(metrics.registry, { port: 0, host: "127.0.0.1" });

    const handles = await client.enqueueBulk(def, [{ content: "a" }, { content: "b" }, { content: "c" }]);
    const failing = await client.enqueue(def, { content: "fail" });
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })));
    await failing.result({ timeoutMs: 5_000 }).catch(() => undefined);

    const labels = 'queue="social",job="tweet"';
    await expect
      .poll(
        async () => {
          const text = await (await fetch(`http://127.0.0.1:${endpoint.port}/metrics`)).text();
          return sample(text, `taskq_job_duration_seconds_count{${labels}}`);
        },
        { timeout: 3_000 },
      )
      .toBe(5);
    const text = await (await fetch(`http://127.0.0.1:${endpoint.port}/metrics`)).text();
    expect(sample(text, `taskq_jobs_enqueued_total{${labels}}`)).toBe(4);
    expect(sample(text, `taskq_jobs_finished_total{${labels},outcome="completed"}`)).toBe(3);
    expect(sample(text, `taskq_jobs_finished_total{${labels},outcome="retry"}`)).toBe(1);
    expect(sample(text, `taskq_jobs_finished_total{${labels},outcome="dead"}`)).toBe(1);
    expect(sample(text, `taskq_job_wait_seconds_count{${labels}}`)).toBe(5);
    expect(sample(text, `taskq_job_duration_seconds_sum{${labels}}`)).toBeGreaterThanOrEqual(0.09);
    expect(sample(text, `taskq_worker_busy_ratio{queue="social"}`)).toBe(0);
    expect((await fetch(`http://127.0.0.1:${endpoint.port}/other`)).status).toBe(404);

    await endpoint.close();
    await instrumented.close();
    await worker.close();
    await client.close();
  });

  it("reads queue depth, workers and busy ratio from Redis for the whole cluster", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const client = new Client({ connection: server.url });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const worker = new Worker({
      connection: server.url,
      queues: [
        registration(
          def,
          async () => {
            await gate;
            return { tweetId: "x" };
          },
          2,
        ),
      ],
    });
    const held = await client.enqueue(def, { content: "held" });
    await client.enqueue(def, { content: "later" }, { delayMs: 60_000 });
    const registry = new Registry();
    const inspector = new QueueInspector({ connection: server.url, prefix });
    registerClusterMetrics(registry, inspector);
    await expect
      .poll(async () => sample(await registry.metrics(), `taskq_queue_depth{prefix="${prefix}",queue="social",state="active"}`), { timeout: 5_000 })
      .toBe(1);
    const text = await registry.metrics();
    expect(sample(text, `taskq_queue_depth{prefix="${prefix}",queue="social",state="delayed"}`)).toBe(1);
    expect(sample(text, `taskq_queue_depth{prefix="${prefix}",queue="social",state="waiting"}`)).toBe(0);
    expect(sample(text, `taskq_workers{prefix="${prefix}",queue="social",state="live"}`)).toBe(1);
    expect(sample(text, `taskq_workers{prefix="${prefix}",queue="social",state="dead"}`)).toBe(0);
    expect(sample(text, `taskq_worker_busy_ratio{prefix="${prefix}",queue="social"}`)).toBe(0.5);
    release();
    await held.result({ timeoutMs: 5_000 });
    await worker.close();
    await inspector.close();
    await client.close();
  });
});
