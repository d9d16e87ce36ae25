/** Issue 17, items 5 and 11 on a real Redis: bounded metric labels, a bad record inside an event, the URL's database. */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, ConfigError, Worker } from "../src/index.js";
import { connect } from "../src/internal.js";
import { maskCredentials } from "../src/admin/index.js";
import { QueueInspector } from "../src/admin/index.js";
import { createJobMetrics, instrumentClient, instrumentWorker, registerClusterMetrics } from "../src/metrics/index.js";
import { Registry } from "prom-client";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe("metric labels", () => {
  it("counts enqueues of names the client was not built with under one `other` label", async () => {
    const metrics = createJobMetrics();
    const client = instrumentClient(new Client({ connection: redis.url }), metrics, { jobs: ["tweet"], queues: ["social"] });
    const prefix = uniquePrefix();
    await client.enqueue(tweetJob(prefix), { content: "real" });
    for (let i = 0; i < 60; i++) await client.enqueue(tweetJob(prefix, { name: `made-up-${i}`, queue: `q${i}` }), { content: "x" });
    const { values } = await metrics.enqueued.get();
    expect(values.map((v) => [v.labels.queue, v.labels.job, v.value]).sort()).toEqual([
      ["other", "other", 60],
      ["social", "tweet", 1],
    ]);
    await client.close();
  });

  it("never throws inside the worker's event on a garbled record, so later listeners still hear it", async () => {
    const def = tweetJob(uniquePrefix());
    const worker = new Worker({ connection: redis.url, queues: [registration(def, async () => ({ tweetId: "1" }))] });
    const metrics = instrumentWorker(worker, { connection: redis.url, queues: [{ name: "social", prefix: def.queue.prefix }], jobs: ["tweet"] });
    const heard: string[] = [];
    worker.on("completed", (e: { job: { name: string } }) => heard.push(e.job.name));
    const garbled = { id: "1", name: "z".repeat(1_000), createdAt: Number("garbled"), startedAt: Number.NaN };
    expect(() => worker.emit("completed", { queue: "social", job: garbled })).not.toThrow();
    expect(heard).toEqual([garbled.name]);
    const { values } = await metrics.finished.get();
    expect(values).toEqual([expect.objectContaining({ labels: { queue: "social", job: "other", outcome: "completed" }, value: 1 })]);
    await metrics.close();
    await worker.close();
  });

  it("labels at most maxQueueLabels queues on the cluster gauges, the rest as `other`", async () => {
    const client = new Client({ connection: redis.url });
    const prefix = uniquePrefix();
    for (let i = 0; i < 8; i++) for (let n = 0; n <= i; n++) await client.enqueue(tweetJob(prefix, { queue: `busy${i}` }), { content: "x" });
    const inspector = new QueueInspector({ connection: redis.url, prefix });
    const registry = new Registry();
    registerClusterMetrics(registry, inspector, 3);
    const depth = (await registry.getSingleMetric("taskq_queue_depth")!.get()).values.filter((v) => v.labels.state === "waiting");
    expect(depth.map((v) => [v.labels.queue, v.value])).toEqual([
      ["busy7", 8],
      ["busy6", 7],
      ["busy5", 6],
      ["other", 15],
    ]);
    await inspector.close();
    await client.close();
  });
});

describe("the URL's database", () => {
  it("is honoured: /3 reads and writes database 3", async () => {
    const { client } = connect(`${redis.url}/3`);
    await client.set("where", "three");
    const admin = new Redis(redis.url);
    expect(await admin.get("where")).toBeNull();
    await admin.select(3);
    expect(await admin.get("where")).toBe("three");
    admin.disconnect();
    client.disconnect();
  });

  it("is refused when not a number, and closes the connection when the server has no such database: nothing lands in database 0", async () => {
    expect(() => connect(`redis://user:S3CRET@127.0.0.1:${redis.port}/abc`)).toThrow(ConfigError);
    expect(() => connect(`redis://user:S3CRET@127.0.0.1:${redis.port}/abc`)).toThrow(/invalid database "\/abc".*redis:\/\/\*\*\*@127/);
    const { client } = connect(`${redis.url}/99`);
    await expect(client.set("stray", "1")).rejects.toThrow();
    const admin = new Redis(redis.url);
    expect(await admin.exists("stray")).toBe(0);
    admin.disconnect();
  });

  it("never shows credentials", () => {
    expect(maskCredentials("Redis does not answer at redis://user:S3CRETPW@127.0.0.1:1 and rediss://:pw@h/2")).toBe(
      "Redis does not answer at redis://***@127.0.0.1:1 and rediss://***@h/2",
    );
  });
});
