/**
 * Issue 17, items 4 and 15, over real HTTP: what a web page (cross-site, or DNS-rebound to loopback)
 * can make the no-token API do, and hostile bodies. Requests go through node:http so the test can send
 * the `Host` and `Origin` a browser would.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, PermanentError, Worker } from "../src/index.js";
import { type JobDefinition } from "../src/internal.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let redis: TestRedis;
let client: Client;
let open: ApiServer;
let guarded: ApiServer;
let openPort: number;
let guardedPort: number;
let tweet: JobDefinition<any, any>;

beforeAll(async () => {
  redis = await startRedis();
  tweet = tweetJob(uniquePrefix(), { attempts: 1 });
  client = new Client({ connection: redis.url });
  open = await createApiServer({ connection: redis.url, definitions: { tweet }, tokens: {} });
  openPort = await open.listen({ port: 0 });
  guarded = await createApiServer({ connection: redis.url, definitions: { tweet }, tokens: { admin: "admin-secret" } });
  guardedPort = await guarded.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await open.close();
  await guarded.close();
  await client.close();
  await redis.stop();
});

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text.startsWith("{") ? JSON.parse(text) : text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function deadJob(): Promise<string> {
  const worker = new Worker({
    connection: redis.url,
    queues: [
      registration(tweet, () => {
        throw new PermanentError("no");
      }),
    ],
  });
  const handle = await client.enqueue(tweet, { content: "dead" });
  await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
  await worker.close();
  return handle.id;
}

describe("the no-token API against web pages", () => {
  it("refuses a Host that is not loopback (DNS rebinding) on reads and writes", async () => {
    const rebound = await send(openPort, "GET", "/stats", { host: `evil.example:${openPort}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body.error).toContain("loopback");
    expect((await send(openPort, "GET", "/dlq", { host: "evil.example" })).status).toBe(403);
    expect((await send(openPort, "GET", "/stats", { host: `localhost:${openPort}` })).status).toBe(200);
    expect((await send(openPort, "GET", "/stats")).status).toBe(200);
  });

  it("refuses a cross-site Origin and a write that is not JSON; the dead job stays dead", async () => {
    const id = await deadJob();
    const crossSite = await send(openPort, "POST", `/dlq/${id}/retry?queue=social`, { origin: "http://evil.example", "content-type": "text/plain" }, "x");
    expect(crossSite.status).toBe(403);
    const crossSiteJson = await send(openPort, "POST", `/dlq/${id}/retry?queue=social`, { origin: "http://evil.example", "content-type": "application/json" });
    expect(crossSiteJson.status).toBe(403);
    const nullOrigin = await send(openPort, "POST", `/dlq/${id}/retry?queue=social`, { origin: "null", "content-type": "application/json" });
    expect(nullOrigin.status).toBe(403);
    // A simple request (text/plain, form, or no type) from anywhere: no write.
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      expect((await send(openPort, "POST", `/dlq/${id}/retry?queue=social`, { "content-type": type }, "a=1")).status).toBe(415);
    }
    expect((await send(openPort, "POST", `/dlq/${id}/retry?queue=social`)).status).toBe(415);
    const still = await send(openPort, "GET", `/jobs/${id}?queue=social`);
    expect(still.body.state, JSON.stringify(still)).toBe("dead");

    // The dashboard's own page: same origin, JSON, no body.
    const own = await send(openPort, "POST", `/dlq/${id}/retry?queue=social`, { origin: `http://127.0.0.1:${openPort}`, "content-type": "application/json" });
    expect(own).toMatchObject({ status: 200, body: { state: "waiting" } });
  });

  it("with a token too, a write must be JSON", async () => {
    const id = await deadJob();
    const plain = await send(guardedPort, "POST", `/dlq/${id}/retry?queue=social`, { authorization: "Bearer admin-secret", "content-type": "text/plain" }, "");
    expect(plain.status).toBe(415);
    const json = await send(guardedPort, "POST", `/dlq/${id}/retry?queue=social`, { authorization: "Bearer admin-secret", "content-type": "application/json" });
    expect(json.status).toBe(200);
  });
});

describe("hostile bodies", () => {
  const admin = { authorization: "Bearer admin-secret", "content-type": "application/json" };

  it("answers a 5,000-deep payload with a 400, not a 500", async () => {
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    const reply = await send(guardedPort, "POST", "/jobs", admin, `{"name":"tweet","payload":{"content":"x","mediaIds":${deep}}}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toContain("deeper than 64");
    const deepObject = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;
    expect((await send(guardedPort, "POST", "/jobs", admin, `{"name":"tweet","payload":${deepObject}}`)).status).toBe(400);
  });

  it("quotes a long unknown name cut short, never whole", async () => {
    const name = "n".repeat(100_000);
    const reply = await send(guardedPort, "POST", "/jobs", admin, JSON.stringify({ name, payload: {} }));
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body).length).toBeLessThan(2_000);
    const unknown = await send(guardedPort, "POST", "/jobs", admin, JSON.stringify({ name: "x".repeat(64), payload: {} }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe(`unknown job ${JSON.stringify(`${"x".repeat(64)}`)}`);
    const route = await send(guardedPort, "GET", `/a/${"r".repeat(5_000)}`, admin);
    expect(route.status).toBe(404);
    expect(route.body.error.length).toBeLessThan(120);
    const schedule = await send(guardedPort, "DELETE", `/schedules/${"s".repeat(99)}`, admin);
    expect(schedule.status).toBe(404);
    expect(schedule.body.error).toBe(`schedule ${"s".repeat(80)}… not found`);
  });
});
