/**
 * The REST endpoints the dashboard works with, over HTTP against a real Redis: per-minute history
 * counted by the scripts (and trimmed to an hour), jobs filtered by job name a page at a time, and
 * bulk retry and purge of the dead jobs a filter matches, bounded per call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Worker } from "../src/index.js";
import type { JobDefinition } from "../src/internal.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob } from "./fixtures.js";
import { Redis } from "ioredis";

const ADMIN = "admin-secret";
const READ = "read-secret";

let redis: TestRedis;
let raw: Redis;
let server: ApiServer;
let base: string;
let client: Client;

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
  client = new Client({ connection: redis.url });
  server = await createApiServer({ connection: redis.url, tokens: { admin: ADMIN, read: READ } });
  base = `http://127.0.0.1:${await server.listen({ port: 0, host: "127.0.0.1" })}`;
});
afterAll(async () => {
  await server.close();
  await client.close();
  raw.disconnect();
  await redis.stop();
});

async function call(method: string, path: string, token: string | null = ADMIN, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === "GET" ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (response.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text };
}

/** Runs `jobs` through a worker whose handler fails when the content starts with "fail"; waits for every one to finish. */
async function run(definitions: Array<JobDefinition<any, any>>, jobs: Array<{ def: JobDefinition<any, any>; content: string }>) {
  const handler = async (payload: { content: string }) => {
    if (payload.content.startsWith("fail")) throw new Error(`refused ${payload.content}`);
    return { tweetId: "x" };
  };
  const reg = registration(definitions[0], handler, 4);
  for (const d of definitions.slice(1)) reg.jobs[d.name] = { definition: d, handler };
  const worker = new Worker({ connection: redis.url, queues: [reg] });
  const handles = await Promise.all(jobs.map((j) => client.enqueue(j.def, { content: j.content })));
  await Promise.all(handles.map((h) => h.result({ timeoutMs: 10_000 }).catch(() => undefined)));
  await worker.close();
  return handles.map((h) => h.id);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("dashboard REST endpoints", () => {
  it("GET /stats/history counts completions, failed attempts and deaths per minute, as the scripts wrote them", async () => {
    const job = tweetJob("taskq", { queue: "hist", attempts: 2, backoff: { type: "fixed", delayMs: 10 } });
    await run(
      [job],
      [...["a", "b", "c", "d", "e"].map((content) => ({ def: job, content })), { def: job, content: "fail 1" }, { def: job, content: "fail 2" }],
    );

    const history = await call("GET", "/stats/history?queue=hist", READ);
    expect(history.status).toBe(200);
    expect(history.body.bucketMs).toBe(60_000);
    const [hist] = history.body.queues;
    expect(hist).toMatchObject({ queue: "hist", prefix: "taskq" });
    expect(hist.completed).toHaveLength(60);
    expect(sum(hist.completed)).toBe(5);
    // Two jobs of two attempts each, both failing: four failed attempts, two deaths.
    expect(sum(hist.failed)).toBe(4);
    expect(sum(hist.dead)).toBe(2);
    // The current minute is the last bucket (allowing for a minute boundary passed since the jobs ran).
    expect(hist.completed[59] + hist.completed[58]).toBe(5);
    expect(Date.parse(history.body.from)).toBe(Math.floor(Date.parse(history.body.from) / 60_000) * 60_000);

    const short = await call("GET", "/stats/history?queue=hist&minutes=5", READ);
    expect(short.body.queues[0].completed).toHaveLength(5);
    expect(sum(short.body.queues[0].completed)).toBe(5);

    const all = await call("GET", "/stats/history", READ);
    expect(all.body.queues.map((q: { queue: string }) => q.queue)).toContain("hist");

    for (const bad of ["minutes=0", "minutes=61", "minutes=abc", "queue=a%20b"]) {
      const refused = await call("GET", `/stats/history?${bad}`, READ);
      expect(refused.status, bad).toBe(400);
      expect(refused.body.error).toMatch(/invalid query: \/(minutes|queue)/);
    }
  });

  it("keeps the history hash small: the first count of a minute trims the minutes older than an hour", async () => {
    const job = tweetJob("taskq", { queue: "trimmed" });
    const key = "taskq:{trimmed}:history";
    const [seconds] = await raw.time();
    const minute = Math.floor(Number(seconds) / 60);
    // Three hours of stale buckets, as a queue idle for a while would have left (written by hand here).
    const stale = Array.from({ length: 180 }, (_, i) => [`c:${minute - 61 - i}`, "7"]).flat();
    await raw.hset(key, ...stale, `f:${minute - 30}`, "2");
    await run([job], [{ def: job, content: "one" }]);
    const fields = await raw.hkeys(key);
    expect(fields).toContain(`f:${minute - 30}`);
    expect(fields.filter((f) => f.startsWith("c:"))).toHaveLength(1);
    const history = await call("GET", "/stats/history?queue=trimmed", READ);
    expect(sum(history.body.queues[0].completed)).toBe(1);
    expect(sum(history.body.queues[0].failed)).toBe(2);
    expect(await raw.memory("USAGE", key)).toBeLessThan(4_096);

    // A history key broken by hand costs the charts only: jobs still complete and fail, the endpoint still answers.
    await raw.del(key);
    await raw.set(key, "not a hash");
    const ids = await run(
      [job],
      [
        { def: job, content: "two" },
        { def: job, content: "fail now" },
      ],
    );
    expect((await call("GET", `/jobs/${ids[0]}?queue=trimmed`, READ)).body.state).toBe("completed");
    expect((await call("GET", `/jobs/${ids[1]}?queue=trimmed`, READ)).body.state).toBe("dead");
    const broken = await call("GET", "/stats/history?queue=trimmed", READ);
    expect(broken.status).toBe(200);
    expect(sum(broken.body.queues[0].completed)).toBe(0);
    expect(await raw.get(key)).toBe("not a hash");
  });

  it("GET /jobs?name= lists only one job type, a page at a time with nextCursor", async () => {
    const tweet = tweetJob("taskq", { queue: "named" });
    const other = tweetJob("taskq", { queue: "named", name: "other" });
    for (let i = 0; i < 7; i++) await client.enqueue(i % 2 === 0 ? tweet : other, { content: `c${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call("GET", `/jobs?queue=named&state=waiting&name=other&limit=2${cursor ? `&cursor=${cursor}` : ""}`, READ);
      expect(page.status).toBe(200);
      for (const job of page.body.jobs) {
        expect(job.name).toBe("other");
        seen.push(job.id);
      }
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(new Set(seen).size).toBe(3);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect((await call("GET", "/jobs?name=no%20spaces", READ)).status).toBe(400);
  });

  it("POST /dlq/retry and /dlq/purge take the dead jobs a filter matches, at most `limit` per call, saying whether more may match", async () => {
    const tweet = tweetJob("taskq", { queue: "bulk", attempts: 1 });
    const other = tweetJob("taskq", { queue: "bulk", name: "other", attempts: 1 });
    const ids = await run(
      [tweet, other],
      [...[1, 2, 3].map((i) => ({ def: tweet, content: `fail t${i}` })), ...[1, 2].map((i) => ({ def: other, content: `fail o${i}` }))],
    );
    expect((await call("GET", "/dlq?queue=bulk", READ)).body.jobs).toHaveLength(5);

    // Refused: a read token, a write that is not JSON, a limit over the bound, an unknown field.
    expect((await call("POST", "/dlq/retry", READ, { queue: "bulk" })).status).toBe(403);
    const plain = await fetch(`${base}/dlq/retry`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "text/plain" }, body: "{}" });
    expect(plain.status).toBe(415);
    const over = await call("POST", "/dlq/retry", ADMIN, { queue: "bulk", limit: 1001 });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatch(/\/limit/);
    expect((await call("POST", "/dlq/purge", ADMIN, { queue: "bulk", everything: true })).status).toBe(400);
    expect((await call("GET", "/dlq?queue=bulk", READ)).body.jobs).toHaveLength(5);

    const first = await call("POST", "/dlq/retry", ADMIN, { queue: "bulk", name: "tweet", limit: 2 });
    expect(first).toMatchObject({ status: 200, body: { count: 2, more: true } });
    const second = await call("POST", "/dlq/retry", ADMIN, { queue: "bulk", name: "tweet", limit: 2 });
    expect(second.body).toEqual({ count: 1, more: false });
    for (const id of ids.slice(0, 3)) expect((await call("GET", `/jobs/${id}?queue=bulk`, READ)).body.state).toBe("waiting");

    // A name filter pages through every match, also when a page fills before the end of a slice it read.
    const byName: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages === 0 || (cursor && pages < 10); pages++) {
      const page: { body: { jobs: Array<{ id: string; name: string }>; nextCursor: string | null } } = await call(
        "GET",
        `/dlq?queue=bulk&name=other&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        READ,
      );
      byName.push(...page.body.jobs.map((j) => `${j.name}:${j.id}`));
      cursor = page.body.nextCursor;
    }
    expect(byName.sort()).toEqual(
      ids
        .slice(3)
        .map((id) => `other:${id}`)
        .sort(),
    );

    const left = (await call("GET", "/dlq?queue=bulk", READ)).body.jobs;
    expect(left.map((j: { name: string }) => j.name)).toEqual(["other", "other"]);
    const purged = await call("POST", "/dlq/purge", ADMIN, { queue: "bulk" });
    expect(purged.body).toEqual({ count: 2, more: false });
    expect((await call("GET", "/dlq?queue=bulk", READ)).body.jobs).toHaveLength(0);
    expect((await call("GET", `/jobs/${ids[4]}?queue=bulk`, READ)).status).toBe(404);
  });
});
