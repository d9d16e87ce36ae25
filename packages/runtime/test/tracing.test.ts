/**
 * OpenTelemetry tracing across processes: a traced Client here (an explicit tracer provider with an
 * in-memory exporter), a traced Worker in a child process (the global provider, as an SDK registers
 * it: see fixtures/traced-worker.ts), one real Redis between them. The spans each side exported must
 * form one trace: the worker's `process` span a child of (and linked to) the producer's span.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { context, propagation, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Client, ConfigError, Worker } from "../src/index.js";
import { QueueInspector } from "../src/admin/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { tracedJob } from "./fixtures/traced-job.js";
import { spanJson, type SpanJson } from "./fixtures/span-json.js";
import { registration, uniquePrefix } from "./fixtures.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

let server: TestRedis;
let redis: Redis;
let client: Client;
let child: ChildProcessByStdio<Writable, Readable, null>;
let lines: Interface;
const prefix = uniquePrefix();
const definition = tracedJob(prefix);

/** The next line the child prints. */
function nextLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`traced worker exited (${code})`)));
  });
}

/** The spans the worker process finished since the last call. */
async function workerSpans(): Promise<SpanJson[]> {
  const line = nextLine();
  child.stdin.write("dump\n");
  return JSON.parse(await line) as SpanJson[];
}

function producerSpans(): SpanJson[] {
  const spans = exporter.getFinishedSpans().map(spanJson);
  exporter.reset();
  return spans;
}

async function untilState(id: string, state: string): Promise<void> {
  const handle = client.handle(definition, id);
  for (let i = 0; i < 200 && (await handle.state()) !== state; i++) await new Promise((r) => setTimeout(r, 25));
  expect(await handle.state()).toBe(state);
}

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  client = new Client({ connection: server.url, tracing: { tracerProvider: provider } });
  const script = fileURLToPath(new URL("./fixtures/traced-worker.ts", import.meta.url));
  child = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, REDIS_URL: server.url, PREFIX: prefix },
  });
  lines = createInterface({ input: child.stdout });
  expect(await nextLine()).toBe("ready");
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin.end("exit\n");
    await exited;
  }
  await client?.close();
  redis?.disconnect();
  await server?.stop();
});

const MESSAGING = { "messaging.system": "taskq", "messaging.destination.name": "social", "messaging.taskq.job.name": "tweet" };

describe("tracing across a producer and a worker in another process", () => {
  it("stores the producer's trace context with the job; the worker's process span is its child and links to it", async () => {
    const handle = await client.enqueue(definition, { content: "hello" });
    expect(await handle.result({ timeoutMs: 10_000 })).toEqual({ tweetId: "hello" });

    const [send] = producerSpans();
    expect(send).toMatchObject({
      name: "send social",
      kind: SpanKind.PRODUCER,
      attributes: { ...MESSAGING, "messaging.operation.type": "send", "messaging.operation.name": "send", "messaging.message.id": handle.id },
    });
    expect(send.status.code).toBe(SpanStatusCode.UNSET);
    // The record holds the W3C traceparent of the send span, and the inspector shows it.
    const stored = JSON.parse((await redis.hget(`${prefix}:{social}:job:${handle.id}`, "tc"))!);
    expect(stored).toEqual({ traceparent: `00-${send.traceId}-${send.spanId}-01` });
    const inspector = new QueueInspector({ connection: server.url, prefix });
    try {
      expect((await inspector.getJob("social", handle.id))?.traceContext).toEqual(stored);
    } finally {
      await inspector.close();
    }

    const spans = await workerSpans();
    const process = spans.find((s) => s.name === "process social")!;
    expect(process).toMatchObject({
      kind: SpanKind.CONSUMER,
      traceId: send.traceId,
      parentSpanId: send.spanId,
      links: [{ traceId: send.traceId, spanId: send.spanId }],
      attributes: {
        ...MESSAGING,
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.message.id": handle.id,
        "messaging.taskq.attempt": 1,
        "messaging.taskq.outcome": "completed",
      },
    });
    expect(process.status.code).toBe(SpanStatusCode.UNSET);
    // The handler ran inside the process span: its own span is that span's child.
    const work = spans.find((s) => s.name === "handler-work")!;
    expect(work).toMatchObject({ traceId: send.traceId, parentSpanId: process.spanId });
  });

  it("records the error of each failed attempt, one process span per attempt in the producer's trace", async () => {
    const handle = await client.enqueue(definition, { content: "fail twice" });
    await untilState(handle.id, "dead");
    const [send] = producerSpans();
    const attempts = (await workerSpans())
      .filter((s) => s.name === "process social")
      .sort((a, b) => Number(a.attributes["messaging.taskq.attempt"]) - Number(b.attributes["messaging.taskq.attempt"]));
    expect(attempts.map((s) => [s.attributes["messaging.taskq.attempt"], s.attributes["messaging.taskq.outcome"]])).toEqual([
      [1, "retry"],
      [2, "dead"],
    ]);
    for (const [i, span] of attempts.entries()) {
      expect(span).toMatchObject({ traceId: send.traceId, parentSpanId: send.spanId, attributes: { "messaging.message.id": handle.id } });
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: `boom on attempt ${i + 1}` });
      expect(span.events).toEqual([
        expect.objectContaining({
          name: "exception",
          attributes: expect.objectContaining({ "exception.type": "Error", "exception.message": `boom on attempt ${i + 1}` }),
        }),
      ]);
    }
  });

  it("traces a bulk enqueue as one send span linked to a create span per job, each job's process span that create span's child", async () => {
    const tracer = provider.getTracer("test");
    const handles = await tracer.startActiveSpan("request", async (request) => {
      try {
        return await client.enqueueBulk(definition, [{ content: "b1" }, { content: "b2" }, { content: "b3" }]);
      } finally {
        request.end();
      }
    });
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 10_000 })));
    const spans = producerSpans();
    const request = spans.find((s) => s.name === "request")!;
    const send = spans.find((s) => s.name === "send social")!;
    const creates = spans.filter((s) => s.name === "create social");
    expect(send).toMatchObject({
      kind: SpanKind.CLIENT,
      traceId: request.traceId,
      parentSpanId: request.spanId,
      attributes: { ...MESSAGING, "messaging.operation.type": "send", "messaging.batch.message_count": 3 },
    });
    expect(send.attributes["messaging.message.id"]).toBeUndefined();
    expect(creates.map((s) => s.attributes["messaging.message.id"]).sort()).toEqual(handles.map((h) => h.id).sort());
    for (const create of creates) {
      expect(create).toMatchObject({
        kind: SpanKind.PRODUCER,
        traceId: request.traceId,
        parentSpanId: request.spanId,
        attributes: { ...MESSAGING, "messaging.operation.type": "create" },
      });
    }
    expect(creates).toHaveLength(3);
    expect(send.links).toHaveLength(3);
    expect(send.links).toEqual(expect.arrayContaining(creates.map((s) => ({ traceId: s.traceId, spanId: s.spanId }))));

    const processed = (await workerSpans()).filter((s) => s.name === "process social");
    expect(processed).toHaveLength(3);
    for (const process of processed) {
      const create = creates.find((s) => s.attributes["messaging.message.id"] === process.attributes["messaging.message.id"])!;
      expect(process).toMatchObject({ traceId: request.traceId, parentSpanId: create.spanId, links: [{ spanId: create.spanId }] });
    }
  });

  it("records a failed enqueue on its send span", async () => {
    const error = await client.enqueue(definition, { content: "" }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const [send] = producerSpans();
    expect(send).toMatchObject({ name: "send social", status: { code: SpanStatusCode.ERROR } });
    expect(send.events[0]).toMatchObject({ name: "exception", attributes: { "exception.message": (error as Error).message } });
  });
});

describe("tracing off", () => {
  it("stores no trace context, and a tracing worker's span for such a job starts a trace of its own", async () => {
    const plain = new Client({ connection: server.url });
    const other = tracedJob(uniquePrefix());
    const worker = new Worker({
      connection: server.url,
      taskManager: false,
      tracing: { tracerProvider: provider },
      queues: [registration(other, async (p: { content: string }) => ({ tweetId: p.content }))],
    });
    try {
      const handle = await plain.enqueue(other, { content: "untraced" });
      expect(await handle.result({ timeoutMs: 10_000 })).toEqual({ tweetId: "untraced" });
      expect(await redis.hexists(`${other.queue.prefix}:{social}:job:${handle.id}`, "tc")).toBe(0);
      const spans = producerSpans();
      expect(spans.map((s) => s.name)).toEqual(["process social"]);
      expect(spans[0].parentSpanId).toBeUndefined();
      expect(spans[0].links).toEqual([]);
    } finally {
      await worker.close();
      await plain.close();
    }
  });

  it("refuses a tracing option that is not one", () => {
    expect(() => new Client({ connection: server.url, tracing: "yes" as never })).toThrow(ConfigError);
    expect(() => new Client({ connection: server.url, tracing: { tracerProvider: {} as never } })).toThrow(/getTracer/);
  });
});

describe("the README", () => {
  it("shows the tweet example's tracing test in its Tracing section, byte for byte", () => {
    const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
    const readme = read("../../../README.md");
    expect(readme).toContain("### Tracing");
    expect(readme).toContain("```ts\n" + read("../../../examples/tweet/tracing.test.ts") + "```");
  });
});
