/**
 * A queue is known by prefix and name. `mail` under two prefixes is two queues, and every operations
 * tool (REST API, stats, metrics, job lookup) keeps them apart; a sharded queue's dead-letter queue
 * covers every shard; two declarations of one queue with different shards are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, ConfigError, PermanentError, Worker } from "../src/index.js";
import { defineQueue, type JobDefinition } from "../src/internal.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix, type Posted, type Tweet } from "./fixtures.js";

let redis: TestRedis;
let client: Client;
let server: ApiServer;
let base: string;
const [A, B] = [uniquePrefix(), uniquePrefix()];
const mailA = tweetJob(A, { name: "send", queue: "mail", attempts: 1 });
const mailB = tweetJob(B, { name: "send", queue: "mail", attempts: 1 });
const socialA = tweetJob(A, { name: "tweet", queue: "social", attempts: 1 });
const workers: Worker[] = [];

async function call(path: string, method = "GET"): Promise<{ status: number; body: any; text: string }> {
  // Every write says it is JSON, body or not (the server refuses any other write).
  const response = await fetch(`${base}${path}`, { method, headers: method === "GET" ? {} : { "content-type": "application/json" } });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

/** Enqueues one job of `definition` and dead-letters it through a worker whose handler refuses it. */
async function killOne(definition: JobDefinition<Tweet, Posted>, content: string): Promise<string> {
  // Enqueued before the worker starts: a starting worker takes a number from the queue's id counter
  // (its lease tokens' base), so a job enqueued as it starts may be job 2 instead of job 1.
  const handle = await client.enqueue(definition, { content });
  const worker = new Worker({
    connection: redis.url,
    queues: [
      registration(definition, () => {
        throw new PermanentError("refused");
      }),
    ],
  });
  await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
  await worker.close();
  return handle.id;
}

beforeAll(async () => {
  redis = await startRedis();
  client = new Client({ connection: redis.url });
  // Job 1 of A:mail and of B:mail are dead; job 2 of each is delayed; job 1 of A:social waits.
  await killOne(mailA, "dead in A");
  await killOne(mailB, "dead in B");
  await client.enqueue(mailA, { content: "later in A" }, { delayMs: 600_000 });
  await client.enqueue(mailB, { content: "later in B" }, { delayMs: 600_000 });
  await client.enqueue(socialA, { content: "waiting" });
  // One live worker, on A:mail only (its handler never gets a job: nothing waits there).
  workers.push(new Worker({ connection: redis.url, queues: [registration(mailA, () => ({ tweetId: "x" }), 3)], heartbeatMs: 100 }));
  server = await createApiServer({ connection: redis.url, definitions: { send: mailA } });
  base = `http://127.0.0.1:${await server.listen({ port: 0, host: "127.0.0.1" })}`;
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await server?.close();
  await client.close();
  await redis.stop();
});

describe("mail under two prefixes, over the REST API", () => {
  it("GET /dlq lists each prefix's dead job once, each with its prefix", async () => {
    const { body } = await call("/dlq");
    const seen = body.jobs.map((j: { prefix: string; queue: string; payload: Tweet }) => [j.prefix, j.queue, j.payload.content]);
    expect(seen.sort()).toEqual(
      [
        [A, "mail", "dead in A"],
        [B, "mail", "dead in B"],
      ].sort(),
    );
    const onlyB = await call(`/dlq?queue=${B}:mail`);
    expect(onlyB.body.jobs.map((j: { payload: Tweet }) => j.payload.content)).toEqual(["dead in B"]);
    const byPrefix = await call(`/dlq?queue=mail&prefix=${A}`);
    expect(byPrefix.body.jobs.map((j: { payload: Tweet }) => j.payload.content)).toEqual(["dead in A"]);
  });

  it("GET /dlq?queue=mail is refused as ambiguous, naming both prefixes", async () => {
    const { status, body } = await call("/dlq?queue=mail");
    expect(status).toBe(409);
    expect(body.error).toContain(`${A}:mail`);
    expect(body.error).toContain(`${B}:mail`);
  });

  it("GET /jobs?state=delayed lists the delayed jobs of both prefixes", async () => {
    const { body } = await call("/jobs?state=delayed");
    const seen = body.jobs.map((j: { prefix: string; queue: string }) => `${j.prefix}:${j.queue}`);
    expect(seen.sort()).toEqual([`${A}:mail`, `${B}:mail`].sort());
  });

  it("GET /jobs/1 names the queues holding job 1 by prefix and name", async () => {
    const { status, body } = await call("/jobs/1");
    expect(status, JSON.stringify(body)).toBe(409);
    expect(body.error).toMatch(
      new RegExp(`exists in queues (${A}:mail|${A}:social|${B}:mail), (${A}:mail|${A}:social|${B}:mail), (${A}:mail|${A}:social|${B}:mail):`),
    );
    for (const q of [`${A}:mail`, `${A}:social`, `${B}:mail`]) expect(body.error).toContain(q);
    const one = await call(`/jobs/1?queue=${B}:mail`);
    expect(one).toMatchObject({ status: 200, body: { prefix: B, queue: "mail", payload: { content: "dead in B" } } });
  });

  it("GET /stats shows the worker on A:mail only", async () => {
    await expect
      .poll(
        async () => {
          const { body } = await call("/stats");
          return body.queues.map((q: { prefix: string; queue: string; workers: { live: number } }) => [`${q.prefix}:${q.queue}`, q.workers.live]).sort();
        },
        { timeout: 5_000 },
      )
      .toEqual(
        [
          [`${A}:mail`, 1],
          [`${A}:social`, 0],
          [`${B}:mail`, 0],
        ].sort(),
      );
  });

  it("GET /metrics has a series per prefix for queue mail", async () => {
    const { text } = await call("/metrics");
    expect(text).toMatch(new RegExp(`^taskq_queue_depth\\{prefix="${A}",queue="mail",state="delayed"\\} 1$`, "m"));
    expect(text).toMatch(new RegExp(`^taskq_queue_depth\\{prefix="${B}",queue="mail",state="delayed"\\} 1$`, "m"));
    expect(text).toMatch(new RegExp(`^taskq_workers\\{prefix="${A}",queue="mail",state="live"\\} 1$`, "m"));
    expect(text).toMatch(new RegExp(`^taskq_workers\\{prefix="${B}",queue="mail",state="live"\\} 0$`, "m"));
  });
});

describe("a schedule named alike in mail under two prefixes, over the REST API", () => {
  // Yearly: neither fires while the test runs (the worker on A:mail runs a task manager).
  const yearly = { cron: "0 0 1 1 *" };
  let id: string;

  beforeAll(async () => {
    const [a, b] = [await client.schedule(mailA, yearly, { content: "new year" }), await client.schedule(mailB, yearly, { content: "new year" })];
    // Same job, schedule and payload: the same id in both queues.
    expect(a.id).toBe(b.id);
    id = a.id;
  });

  it("GET /schedules lists it once per prefix, each with its prefix", async () => {
    const { body } = await call("/schedules");
    const seen = body.schedules.filter((s: { id: string }) => s.id === id).map((s: { prefix: string; queue: string }) => `${s.prefix}:${s.queue}`);
    expect(seen.sort()).toEqual([`${A}:mail`, `${B}:mail`].sort());
  });

  it("DELETE /schedules/:id without a queue, or with the bare name, is refused as ambiguous, naming both prefixes", async () => {
    for (const path of [`/schedules/${id}`, `/schedules/${id}?queue=mail`]) {
      const { status, body } = await call(path, "DELETE");
      expect(status).toBe(409);
      expect(body.details.queues.sort()).toEqual([`${A}:mail`, `${B}:mail`].sort());
      expect(body.error).toContain("prefix:name");
    }
    expect((await call("/schedules")).body.schedules.filter((s: { id: string }) => s.id === id)).toHaveLength(2);
  });

  it("DELETE /schedules/:id?queue=prefix:name removes that prefix's alone; ?queue=mail&prefix= the other's", async () => {
    expect(await call(`/schedules/${id}?queue=${B}:mail`, "DELETE")).toMatchObject({ status: 200, body: { id, queue: "mail", prefix: B, removed: true } });
    const left = (await call("/schedules")).body.schedules.filter((s: { id: string }) => s.id === id);
    expect(left.map((s: { prefix: string }) => s.prefix)).toEqual([A]);
    expect((await call(`/schedules/${id}?queue=${B}:mail`, "DELETE")).status).toBe(404);
    expect(await call(`/schedules/${id}?queue=mail&prefix=${A}`, "DELETE")).toMatchObject({ status: 200, body: { prefix: A, removed: true } });
    expect((await call("/schedules")).body.schedules.filter((s: { id: string }) => s.id === id)).toEqual([]);
  });

  it("DELETE /schedules/:id?queue=prefix:name with another ?prefix= is a 400", async () => {
    const { status, body } = await call(`/schedules/${id}?queue=${A}:mail&prefix=${B}`, "DELETE");
    expect(status).toBe(400);
    expect(body.error).toContain(`under prefix ${A}`);
  });
});

describe("a queue declared once", () => {
  it("client.deadLetterQueue(queue) of a sharded queue counts, lists and retries the dead jobs of every shard", async () => {
    const prefix = uniquePrefix();
    const sharded = tweetJob(prefix, { name: "send", queue: "bulk", attempts: 1, shards: 4 });
    const worker = new Worker({
      connection: redis.url,
      queues: [
        registration(
          sharded,
          () => {
            throw new PermanentError("refused");
          },
          8,
        ),
      ],
    });
    const handles = await client.enqueueBulk(
      sharded,
      Array.from({ length: 12 }, (_, i) => ({ payload: { content: `d${i}` }, options: { jobId: `dead-${i}` } })),
    );
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 }).catch(() => undefined)));
    await worker.close();
    const dlq = client.deadLetterQueue(sharded.queue);
    expect(await dlq.count()).toBe(12);
    expect((await dlq.list({ limit: 100 })).map((j) => j.id).sort()).toEqual(handles.map((h) => h.id).sort());
    // By name alone the default is one shard: the queue object is what carries the shards.
    expect(await client.deadLetterQueue("bulk", prefix).count()).toBeLessThan(12);
    expect(await dlq.purge({})).toBe(12);
    expect(await dlq.count()).toBe(0);
  });

  it("refuses a worker whose job definitions declare one queue with different shards (two generated sets)", () => {
    const prefix = uniquePrefix();
    const one = tweetJob(prefix, { queue: "mail", shards: 2 });
    const other = { ...tweetJob(prefix, { name: "digest", queue: "mail" }), queue: defineQueue({ prefix, name: "mail", shards: 3 }) };
    expect(
      () =>
        new Worker({
          connection: redis.url,
          queues: [
            {
              name: "mail",
              prefix,
              concurrency: 1,
              jobs: { tweet: { definition: one, handler: () => ({ tweetId: "1" }) }, digest: { definition: other, handler: () => ({ tweetId: "1" }) } },
            },
          ],
        }),
    ).toThrow(/declared twice with different shards \(2 and 3\)/);
  });

  it("refuses a job registered on another queue than the one its definition points at", () => {
    const prefix = uniquePrefix();
    const elsewhere = tweetJob(prefix, { queue: "mail" });
    expect(
      () =>
        new Worker({
          connection: redis.url,
          queues: [{ name: "social", prefix, concurrency: 1, jobs: { tweet: { definition: elsewhere, handler: () => ({ tweetId: "1" }) } } }],
        }),
    ).toThrow(ConfigError);
  });

  it("refuses a definition that names its queue by a string (code generated before queues were declared once)", async () => {
    const old = { ...tweetJob(uniquePrefix()), queue: "social" } as unknown as JobDefinition<Tweet, Posted>;
    await expect(client.enqueue(old, { content: "x" })).rejects.toThrow(/queue must be a queue declared by defineQueue.*regenerate/);
  });
});
