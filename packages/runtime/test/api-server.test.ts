import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Worker } from "../src/index.js";
import { type JobDefinition } from "../src/internal.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

const ADMIN = "admin-secret";
const READ = "read-secret";

let redis: TestRedis;
let server: ApiServer;
let base: string;
let client: Client;
let tweet: JobDefinition<any, any>;

beforeAll(async () => {
  redis = await startRedis();
  tweet = tweetJob(uniquePrefix(), { attempts: 1 });
  client = new Client({ connection: redis.url });
  server = await createApiServer({ connection: redis.url, definitions: { tweet }, tokens: { admin: ADMIN, read: READ } });
  base = `http://127.0.0.1:${await server.listen({ port: 0, host: "127.0.0.1" })}`;
});
afterAll(async () => {
  await server.close();
  await client.close();
  await redis.stop();
});

async function call(method: string, path: string, token: string | null = ADMIN, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    // Every write says it is JSON, body or not (the server refuses any other write).
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined && method === "GET" ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  return { status: response.status, body: type.includes("json") ? JSON.parse(text) : text, headers: response.headers };
}

async function killOne(content: string): Promise<string> {
  const worker = new Worker({
    connection: redis.url,
    queues: [
      registration(tweet, async () => {
        throw new Error(`no ${content}`);
      }),
    ],
  });
  const handle = await client.enqueue(tweet, { content });
  await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
  await worker.close();
  return handle.id;
}

describe("REST API", () => {
  it("POST /jobs enqueues a job by name, validated by its codec, and GET /jobs/:id shows it", async () => {
    const created = await call("POST", "/jobs", ADMIN, { name: "tweet", payload: { content: "hi" }, options: { priority: "critical" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "tweet", queue: "social" });
    const job = await call("GET", `/jobs/${created.body.id}`, READ);
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ id: created.body.id, state: "waiting", priority: "critical", payload: { content: "hi" }, errors: [], logs: [] });
  });

  it("POST /jobs refuses a bad payload with the failing field path, and unknown names and options", async () => {
    const bad = await call("POST", "/jobs", ADMIN, { name: "tweet", payload: { content: "x".repeat(281) } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues).toEqual([expect.objectContaining({ path: "/content", rule: "maxLength" })]);
    const unknown = await call("POST", "/jobs", ADMIN, { name: "nope", payload: {} });
    expect(unknown).toMatchObject({ status: 400, body: { details: { known: ["tweet"] } } });
    const option = await call("POST", "/jobs", ADMIN, { name: "tweet", payload: { content: "x" }, options: { priority: "urgent" } });
    expect(option.status).toBe(400);
    expect(option.body.details.issues[0].path).toBe("/options/priority");
    const notJson = await fetch(`${base}/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toHaveProperty("error");
  });

  it("answers 401 without a token or with a wrong one, and 403 when the read token writes", async () => {
    expect((await call("GET", "/stats", null)).status).toBe(401);
    expect((await call("GET", "/stats", "wrong")).status).toBe(401);
    expect((await call("GET", "/metrics", null)).status).toBe(401);
    const denied = await call("POST", "/jobs", READ, { name: "tweet", payload: { content: "x" } });
    expect(denied).toMatchObject({ status: 403, body: { error: expect.stringContaining("admin"), details: { required: "admin" } } });
    expect((await call("DELETE", "/jobs/1", READ)).status).toBe(403);
    expect((await call("PUT", "/jobs/1/priority", READ, { priority: "low" })).status).toBe(403);
    expect((await call("POST", "/dlq/1/retry", READ)).status).toBe(403);
    expect((await call("DELETE", "/dlq/1", READ)).status).toBe(403);
    expect((await call("GET", "/health", null)).body).toEqual({ status: "ok" });
    expect((await call("GET", "/openapi.json", null)).status).toBe(200);
  });

  it("PUT /jobs/:id/priority and DELETE /jobs/:id act on a job that has not started, 409 after", async () => {
    const { body } = await call("POST", "/jobs", ADMIN, { name: "tweet", payload: { content: "x" } });
    expect(await call("PUT", `/jobs/${body.id}/priority`, ADMIN, { priority: "low" })).toMatchObject({ status: 200, body: { priority: "low" } });
    expect((await call("PUT", `/jobs/${body.id}/priority`, ADMIN, { priority: "soon" })).status).toBe(400);
    expect(await call("DELETE", `/jobs/${body.id}`, ADMIN)).toMatchObject({ status: 200, body: { state: "cancelled" } });
    expect(await call("DELETE", `/jobs/${body.id}`, ADMIN)).toMatchObject({ status: 409, body: { details: { stateBefore: "cancelled" } } });
    expect((await call("GET", "/jobs/999999", READ)).status).toBe(404);
    expect((await call("GET", "/jobs/bad%20id", READ)).status).toBe(400);
  });

  it("GET /stats, GET /workers and GET /jobs show queues, workers and jobs by state", async () => {
    const stats = await call("GET", "/stats", READ);
    expect(stats.status).toBe(200);
    expect(stats.body.queues).toEqual([expect.objectContaining({ queue: "social", prefix: tweet.queue.prefix })]);
    const workers = await call("GET", "/workers", READ);
    expect(workers).toMatchObject({ status: 200, body: { workers: expect.any(Array) } });
    const waiting = await call("GET", "/jobs?queue=social&state=waiting&limit=1", READ);
    expect(waiting.body.jobs).toHaveLength(1);
    expect((await call("GET", "/jobs?state=lost", READ)).status).toBe(400);
  });

  it("GET /dlq lists dead jobs; POST /dlq/:id/retry and DELETE /dlq/:id act on them", async () => {
    const first = await killOne("first");
    const second = await killOne("second");
    const dlq = await call("GET", "/dlq", READ);
    expect(dlq.body.jobs.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([first, second]));
    expect(dlq.body.jobs.find((j: { id: string }) => j.id === first)).toMatchObject({
      payload: { content: "first" },
      errors: [expect.objectContaining({ message: "no first" })],
    });
    expect(await call("POST", `/dlq/${first}/retry`, ADMIN)).toMatchObject({ status: 200, body: { state: "waiting" } });
    expect((await call("POST", `/dlq/${first}/retry`, ADMIN)).status).toBe(409);
    expect(await call("DELETE", `/dlq/${second}`, ADMIN)).toMatchObject({ status: 200, body: { purged: true } });
    expect((await call("DELETE", `/dlq/${second}`, ADMIN)).status).toBe(404);
  });

  it("POST /jobs/:id/retry runs a delayed job now", async () => {
    const { body } = await call("POST", "/jobs", ADMIN, { name: "tweet", payload: { content: "later" }, options: { delayMs: 60_000 } });
    expect((await call("GET", `/jobs/${body.id}`, READ)).body.state).toBe("delayed");
    expect(await call("POST", `/jobs/${body.id}/retry`, ADMIN)).toMatchObject({ status: 200, body: { state: "waiting" } });
  });

  it("GET /metrics serves the PRODUCT.md metrics, counting what POST /jobs enqueued", async () => {
    const metrics = await call("GET", "/metrics", READ);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^taskq_jobs_enqueued_total\{queue="social",job="tweet"\} \d+$/m);
    expect(metrics.body).toMatch(/^taskq_queue_depth\{prefix="[^"]+",queue="social",state="dead"\} \d+$/m);
    expect(metrics.body).toMatch(/^taskq_workers\{prefix="[^"]+",queue="social",state="live"\} 0$/m);
  });

  it("GET /openapi.json documents every route and each job's payload schema", async () => {
    const { body } = await call("GET", "/openapi.json", null);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        "/jobs",
        "/jobs/{id}",
        "/jobs/{id}/priority",
        "/stats",
        "/workers",
        "/dlq",
        "/dlq/{id}/retry",
        "/dlq/{id}",
        "/metrics",
        "/health",
        "/schedules",
        "/schedules/{id}",
      ]),
    );
    expect(body.components.schemas.tweetPayload.properties.content).toMatchObject({ type: "string", maxLength: 280 });
  });

  it("GET /schedules lists schedules and DELETE /schedules/:id removes one", async () => {
    const handle = await client.schedule(tweet, { everyMs: 60_000 }, { content: "hourly-ish" });
    const { body } = await call("GET", "/schedules", READ);
    expect(body.schedules).toEqual([expect.objectContaining({ id: handle.id, queue: "social", name: "tweet", schedule: { everyMs: 60_000 }, fired: 0 })]);
    expect((await call("DELETE", `/schedules/${handle.id}`, READ)).status).toBe(403);
    expect(await call("DELETE", `/schedules/${handle.id}`, ADMIN)).toMatchObject({ status: 200, body: { removed: true } });
    expect((await call("DELETE", `/schedules/${handle.id}`, ADMIN)).status).toBe(404);
  });

  it("answers unknown routes with a JSON 404", async () => {
    expect(await call("GET", "/nope", ADMIN)).toMatchObject({ status: 404, body: { error: "no route GET /nope" } });
  });
});

describe("REST API without tokens", () => {
  it("needs no token, but listens only on loopback", async () => {
    const open = await createApiServer({ connection: redis.url, tokens: {} });
    await expect(open.listen({ port: 0, host: "0.0.0.0" })).rejects.toMatchObject({ code: "E_CONFIG" });
    const port = await open.listen({ port: 0 });
    expect(open.app.server.address()).toMatchObject({ address: "127.0.0.1" });
    expect((await fetch(`http://127.0.0.1:${port}/stats`)).status).toBe(200);
    await open.close();
  });
});
