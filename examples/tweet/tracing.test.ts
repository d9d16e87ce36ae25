// Tracing: the enqueue of a tweet and the run that posts it, in one OpenTelemetry trace. An app's SDK
// setup (NodeSDK) registers the provider, propagator and context manager; here, an in-memory exporter.
import { afterAll, beforeAll, expect, it } from "vitest";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { drain, startTestRedis, type TestRedis } from "@taskq/runtime/testing";
import { createClient, createWorker } from "./generated/index.js";
import { SocialJobs } from "./jobs.js";
import { TwitterClient } from "./twitter.js";

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis.stop());

it("puts the enqueue of a tweet and the run that posts it in one trace", async () => {
  const client = createClient({ connection: redis.url, tracing: true });
  const social = new SocialJobs(new TwitterClient({ failureRate: 0 }));
  const worker = createWorker({ connection: redis.url, jobs: { social }, tracing: true, autostart: false });

  const handle = await client.enqueueTweet({ content: "Traced from end to end" });
  await drain(worker);

  const spans = exporter.getFinishedSpans();
  const send = spans.find((span) => span.name === "send social")!; // the producer's span
  const run = spans.find((span) => span.name === "process social")!; // the worker's, per attempt
  expect(run.spanContext().traceId).toBe(send.spanContext().traceId);
  expect(run.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
  expect(run.attributes).toMatchObject({
    "messaging.system": "taskq",
    "messaging.destination.name": "social",
    "messaging.operation.type": "process",
    "messaging.message.id": handle.id,
    "messaging.taskq.attempt": 1,
  });
  await worker.close();
  await client.close();
});
