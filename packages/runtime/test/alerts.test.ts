import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client, PermanentError, Worker } from "../src/index.js";
import { AlertMonitor, QueueInspector, logAlerts, webhookAlerts, type Alert } from "../src/admin/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let redis: TestRedis;
let client: Client;

beforeAll(async () => {
  redis = await startRedis();
  client = new Client({ connection: redis.url });
});
afterAll(async () => {
  await client.close();
  await redis.stop();
});

async function killJobs(prefix: string, count: number): Promise<void> {
  const def = tweetJob(prefix);
  const worker = new Worker({
    connection: redis.url,
    queues: [
      registration(
        def,
        async () => {
          throw new PermanentError("refused");
        },
        4,
      ),
    ],
  });
  const handles = await client.enqueueBulk(
    def,
    Array.from({ length: count }, (_, i) => ({ content: `x${i}` })),
  );
  await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 }).catch(() => undefined)));
  await worker.close();
}

describe("alerts", () => {
  it("fires once when a queue grows too deep and resolves once it drains, through the log target", async () => {
    const prefix = uniquePrefix();
    const lines: string[] = [];
    const inspector = new QueueInspector({ connection: redis.url, prefix });
    const monitor = new AlertMonitor({ inspector, rules: [{ kind: "queueDepth", above: 2 }], targets: [logAlerts((l) => lines.push(l))] });
    const handles = await client.enqueueBulk(tweetJob(prefix), [{ content: "a" }, { content: "b" }, { content: "c" }]);
    expect(await monitor.check()).toEqual([expect.objectContaining({ rule: "queueDepth", queue: "social", status: "firing", value: 3, threshold: 2 })]);
    expect(await monitor.check()).toEqual([]);
    await handles[0].cancel();
    expect(await monitor.check()).toEqual([expect.objectContaining({ status: "resolved", value: 2 })]);
    expect(lines).toEqual([
      "taskq alert firing: [queueDepth] social: 3 waiting jobs (alert above 2)",
      "taskq alert resolved: [queueDepth] social: 2 waiting jobs (alert above 2)",
    ]);
    await inspector.close();
  });

  it("sees dead-letter growth and the failure rate within a window", async () => {
    const prefix = uniquePrefix();
    const alerts: Alert[] = [];
    const inspector = new QueueInspector({ connection: redis.url, prefix });
    const monitor = new AlertMonitor({
      inspector,
      rules: [
        { name: "dlq growing", kind: "deadLetterGrowth", increaseBy: 3, withinMs: 60_000 },
        { name: "failing", kind: "failureRate", above: 0.5, withinMs: 60_000, minJobs: 3 },
      ],
      targets: [(alert) => void alerts.push(alert)],
    });
    await client.enqueue(tweetJob(prefix), { content: "seed" }); // the queue exists before the first check
    expect(await monitor.check()).toEqual([]);
    await killJobs(prefix, 4);
    const changes = await monitor.check();
    expect(changes.map((a) => [a.rule, a.status, a.value])).toEqual([
      ["dlq growing", "firing", 5],
      ["failing", "firing", 1],
    ]);
    expect(alerts).toHaveLength(2);
    await inspector.close();
  });

  it("counts workers whose heartbeat stopped as dead", async () => {
    const prefix = uniquePrefix();
    const admin = new Redis(redis.url);
    await admin.zadd(`${prefix}:{social}:workers`, Date.now() - 60_000, "ghost");
    const inspector = new QueueInspector({ connection: redis.url, prefix });
    const monitor = new AlertMonitor({ inspector, rules: [{ kind: "deadWorkers" }], targets: [] });
    expect(await monitor.check()).toEqual([expect.objectContaining({ kind: "deadWorkers", status: "firing", message: "social: 1 dead worker(s), 0 live" })]);
    admin.disconnect();
    await inspector.close();
  });

  it("delivers to a webhook, retrying until it answers 2xx", async () => {
    const bodies: unknown[] = [];
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (c) => (body += c));
      request.on("end", () => {
        bodies.push(JSON.parse(body));
        response.writeHead(bodies.length < 3 ? 503 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const alert: Alert = { rule: "r", kind: "queueDepth", queue: "social", status: "firing", value: 3, threshold: 2, message: "m", at: new Date(0) };
    await webhookAlerts({ url, retries: 3, backoffMs: 10 })(alert);
    expect(bodies).toHaveLength(3);
    expect(bodies[2]).toEqual({ ...alert, at: "1970-01-01T00:00:00.000Z" });
    await expect(webhookAlerts({ url: "http://127.0.0.1:1/", retries: 1, backoffMs: 10 })(alert)).rejects.toThrow(/after 2 tries/);
    await new Promise((r) => server.close(r));
  });
});
