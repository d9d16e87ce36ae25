/**
 * The OpenAPI document (src/http/openapi.ts) as a client generator uses it: lint-clean under
 * `redocly lint`'s recommended rules, every response typed by openapi-typescript, and every response
 * the server sends matching the schema the document gives it. One server for the file.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { Type, type TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Worker } from "../src/index.js";
import { createCodec, defineJob, type JobDefinition } from "../src/internal.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import { openApiDocument } from "../src/http/openapi.js";
import * as shapes from "../src/http/response-schemas.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, testQueue, tweetJob, uniquePrefix } from "./fixtures.js";

const ADMIN = "admin-secret";
const REDOCLY = resolve(__dirname, "../../../node_modules/.bin/redocly");

let redis: TestRedis;
let server: ApiServer;
let base: string;
let client: Client;
let tweet: JobDefinition<any, any>;
let purge: JobDefinition<any, any>;
let document: Record<string, any>;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  const prefix = uniquePrefix();
  tweet = tweetJob(prefix, { attempts: 1 });
  // A second job type, one that returns nothing (its result codec is the generated VoidCodec's).
  purge = defineJob<{ all: boolean }, void>({
    name: "purge",
    queue: testQueue(prefix, "maintenance"),
    priority: "low",
    attempts: 1,
    backoff: { type: "fixed", delayMs: 10 },
    keepResultMs: 60_000,
    version: 1,
    payload: createCodec(Type.Object({ all: Type.Boolean() })),
    result: createCodec<void>(Type.Null()),
  });
  client = new Client({ connection: redis.url });
  server = await createApiServer({ connection: redis.url, definitions: { tweet, purge }, tokens: { admin: ADMIN } });
  base = `http://127.0.0.1:${await server.listen({ port: 0, host: "127.0.0.1" })}`;
  document = (await (await fetch(`${base}/openapi.json`)).json()) as Record<string, any>;
  dir = mkdtempSync(join(tmpdir(), "taskq-openapi-"));
});
afterAll(async () => {
  await server?.close();
  await client?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    // Every write carries the JSON content type, a body or not (the API refuses others with 415).
    headers: { authorization: `Bearer ${ADMIN}`, ...(method === "GET" ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Asserts `body` matches `schema`, naming each failing field. */
function expectShape(schema: TSchema, body: unknown, what: string): void {
  const validator = Compile(schema);
  expect(
    [...validator.Errors(body)].map((e) => `${e.instancePath} ${e.message}`),
    what,
  ).toEqual([]);
}

const operations = (doc: Record<string, any>) =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

describe("the OpenAPI document", () => {
  it("names every operation, gives each its security (none only where public), a license and a server", () => {
    const all = operations(document);
    expect(all.length).toBeGreaterThanOrEqual(15);
    expect(new Set(all.map(({ op }) => op.operationId)).size).toBe(all.length);
    for (const { path, method, op } of all) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      const open = path === "/openapi.json" || path === "/health" || path.startsWith("/health/");
      expect(op.security, `${method} ${path}`).toEqual(open ? [] : [{ bearer: [] }]);
    }
    expect(document.info.license).toEqual({ name: "MIT", identifier: "MIT" });
    expect(document.servers).toHaveLength(1);
    expect(document.components.schemas.tweetPayload.properties.content).toMatchObject({ type: "string", maxLength: 280 });
    expect(document.components.schemas.purgeResult).toEqual({ type: "null" });
    // Without tokens the server takes none: every operation says so.
    const open = openApiDocument({}, { auth: false });
    for (const { op } of operations(open)) expect(op.security).toEqual([]);
  });

  it("passes redocly lint with the recommended rules, with no error and no warning", async () => {
    const files = [join(dir, "with-tokens.json"), join(dir, "without-tokens.json")];
    writeFileSync(files[0], JSON.stringify(document, null, 2));
    writeFileSync(files[1], JSON.stringify(openApiDocument({ tweet }, { auth: false }), null, 2));
    const run = promisify(execFile)(REDOCLY, ["lint", ...files, "--extends", "recommended", "--format", "json"], {
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    // redocly exits 1 when it finds errors; its report is on stdout either way.
    const { stdout } = await run.catch((error: { stdout: string }) => error);
    // One JSON report per file, written one after the other.
    const reports = JSON.parse(`[${stdout.replace(/^\}\{$/gm, "},{")}]`) as Array<{
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string }>;
    }>;
    expect(reports).toHaveLength(2);
    for (const report of reports) {
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    }
  }, 30_000);

  it("gives openapi-typescript a type for every response: no never, no empty record, and job payloads typed", async () => {
    const types = astToString(await openapiTS(JSON.stringify(document)));
    const checks = operations(document).flatMap(({ path, method, op }) =>
      Object.entries(op.responses as Record<string, any>)
        .filter(([, response]) => response.$ref || response.content?.["application/json"])
        .map(([status]) => `typed<paths["${path}"]["${method}"]["responses"][${status}]["content"]["application/json"]>(true);`),
    );
    const source = `import type { paths } from "./api.js";
/** true only for a type a generated client can use: not never, not unknown, not an empty record. */
type Typed<T> = [T] extends [never] ? false : unknown extends T ? false : T extends Record<string, never> ? false : true;
declare function typed<T>(ok: Typed<T>): void;
${checks.join("\n")}
type Created = paths["/jobs"]["post"]["responses"][201]["content"]["application/json"];
const id: string = null as unknown as Created["id"];
const notAny: Typed<Created["id"]> = true;
type Found = paths["/jobs/{id}"]["get"]["responses"][200]["content"]["application/json"];
declare const found: Found;
if (found.name === "tweet") { const content: string = found.payload.content; void content; }
export { id, notAny };
`;
    writeFileSync(join(dir, "api.ts"), types);
    writeFileSync(join(dir, "check.ts"), source);
    expect(checks.length).toBeGreaterThanOrEqual(15);
    const program = ts.createProgram([join(dir, "check.ts")], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  }, 30_000);
});

describe("the REST API's responses", () => {
  it("match the schemas the document gives them", async () => {
    const created = await call("POST", "/jobs", { name: "tweet", payload: { content: "typed" } });
    expect(created.status).toBe(201);
    expectShape(shapes.EnqueuedSchema, created.body, "POST /jobs");
    await call("POST", "/jobs", { name: "tweet", payload: { content: "second" } });

    const page = await call("GET", "/jobs?state=waiting&limit=1");
    expectShape(shapes.JobListSchema, page.body, "GET /jobs");
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const last = await call("GET", `/jobs?state=waiting&limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expectShape(shapes.JobListSchema, last.body, "GET /jobs, page 2");
    expect(last.body.jobs).toHaveLength(1);
    expect(last.body.jobs[0].id).not.toBe(page.body.jobs[0].id);
    const after =
      last.body.nextCursor === null
        ? { jobs: [], nextCursor: null }
        : (await call("GET", `/jobs?state=waiting&limit=1&cursor=${encodeURIComponent(last.body.nextCursor)}`)).body;
    expect(after).toEqual({ jobs: [], nextCursor: null });

    const job = await call("GET", `/jobs/${created.body.id}`);
    expectShape(shapes.JobDetailSchema, job.body, "GET /jobs/{id}");
    expect(tweet.payload.check(job.body.payload)).toBe(true);
    expectShape(shapes.PriorityChangeSchema, (await call("PUT", `/jobs/${created.body.id}/priority`, { priority: "high" })).body, "PUT priority");
    expectShape(shapes.StateChangeSchema("cancelled"), (await call("DELETE", `/jobs/${created.body.id}`)).body, "DELETE /jobs/{id}");

    // A worker that fails every job: a dead job with its errors, and a live worker with its jobs.
    const worker = new Worker({
      connection: redis.url,
      queues: [
        registration(tweet, async () => {
          throw new Error("refused");
        }),
      ],
    });
    const dying = await client.enqueue(tweet, { content: "dies" });
    await dying.result({ timeoutMs: 5_000 }).catch(() => undefined);
    const workers = await call("GET", "/workers");
    expect(workers.body.workers.length).toBeGreaterThan(0);
    for (const w of workers.body.workers) expectShape(shapes.WorkerStatusSchema, w, "GET /workers");
    await worker.close();
    const stats = await call("GET", "/stats");
    for (const s of stats.body.queues) expectShape(shapes.QueueStatsSchema, s, "GET /stats");
    const dead = await call("GET", "/dlq");
    expect(dead.body.jobs.length).toBeGreaterThan(0);
    for (const d of dead.body.jobs) expectShape(shapes.DeadJobSchema, d, "GET /dlq");
    const [deadJob] = dead.body.jobs;
    expect(deadJob.errors[0]).toMatchObject({ message: "refused" });
    expectShape(shapes.StateChangeSchema("waiting"), (await call("POST", `/dlq/${dying.id}/retry`)).body, "POST /dlq/{id}/retry");
    const history = await call("GET", "/stats/history");
    expectShape(shapes.JobHistorySchema, history.body, "GET /stats/history");
    expect(history.body.queues.some((q: { failed: number[] }) => q.failed.some((n) => n > 0))).toBe(true);
    expectShape(shapes.BulkResultSchema, (await call("POST", "/dlq/retry", { name: "tweet", limit: 10 })).body, "POST /dlq/retry");
    expectShape(shapes.BulkResultSchema, (await call("POST", "/dlq/purge", { name: "nobody" })).body, "POST /dlq/purge");

    const schedule = await client.schedule(purge, { cron: "0 3 * * *", tz: "UTC" }, { all: true });
    const schedules = await call("GET", "/schedules");
    for (const s of schedules.body.schedules) expectShape(shapes.ScheduleSchema, s, "GET /schedules");
    const removed = await call("DELETE", `/schedules/${schedule.id}`);
    expectShape(shapes.RemovedSchema, removed.body, "DELETE /schedules/{id}");

    const missing = await call("GET", "/jobs/nope");
    expect(missing.status).toBe(404);
    expectShape(shapes.ErrorSchema, missing.body, "an error");
    expectShape(shapes.HealthSchema, (await call("GET", "/health")).body, "GET /health");
  }, 20_000);
});
