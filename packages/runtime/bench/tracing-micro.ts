/**
 * The CPU cost per job of the code tracing adds, without Redis: what an enqueue does more (the send
 * span, the injected context, the longer options argument) and what a run does more (the extracted
 * context, the process span around it), each against the same step untraced, in ns per job. Every
 * step is timed in alternating batches (untraced, traced, untraced, ...), best batch kept, so other
 * loads on the machine inflate both sides alike rather than one.
 *
 *   npx tsx packages/runtime/bench/tracing-micro.ts [noop|sdk|batch|simple]
 *
 * noop: no SDK (the API's no-op tracer); sdk: a BasicTracerProvider whose spans record but go nowhere
 * (NoopSpanProcessor: the SDK's cost of a span and taskq's, without an exporter's); batch: a BasicTracerProvider exporting to memory through a
 * BatchSpanProcessor (as NodeSDK does by default); simple: through a SimpleSpanProcessor (the test
 * setup: one synchronous export per span, about 11 µs each, which the SDK documents as not for production).
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, NoopSpanProcessor, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Type } from "typebox";
import { createCodec, defineJob, defineQueue } from "../src/internal.js";
import { addJob } from "../src/client/job-fields.js";
import { queueKeys } from "../src/redis/keys.js";
import { enqueueBatch, parseFetchReply } from "../src/store/index.js";
import { resolveTracing } from "../src/tracing/tracing.js";
import { traceEnqueue } from "../src/tracing/producer-spans.js";
import { traceAttempt } from "../src/tracing/consumer-spans.js";
import type { Outcome } from "../src/worker/run-job.js";

const mode = process.argv[2] ?? "batch";
const exporter = new InMemorySpanExporter();
if (mode !== "noop") {
  const processor = mode === "simple" ? new SimpleSpanProcessor(exporter) : mode === "sdk" ? new NoopSpanProcessor() : new BatchSpanProcessor(exporter);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [processor] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
const tracing = resolveTracing(true)!;
const definition = defineJob<{ n: number }, { n: number }>({
  name: "work",
  queue: defineQueue({ name: "bench", prefix: "micro" }),
  priority: "normal",
  attempts: 1,
  backoff: { type: "fixed", delayMs: 10 },
  keepResultMs: 60_000,
  version: 1,
  payload: createCodec<{ n: number }>(Type.Object({ n: Type.Integer() })),
  result: createCodec<{ n: number }>(Type.Object({ n: Type.Integer() })),
});
const keys = queueKeys("micro", "bench");
const outcome: Outcome = { kind: "completed", result: "{}", value: {} };
const handle = [{ id: "1" }];

/** One enqueue's client-side work that tracing touches: the job's arguments, in the send span when traced. */
async function enqueue(traced: boolean): Promise<void> {
  const write = async (traces?: ReadonlyArray<string | undefined>) => {
    const batch = enqueueBatch(keys, 1);
    addJob(batch, definition, { payload: { n: 1 }, data: '{"n":1}', options: {}, trace: traces?.[0] });
    return handle;
  };
  if (traced) await traceEnqueue(tracing, definition, 1, false, write);
  else await write();
}

let carrier: string | undefined;
/** One run's worker-side work that tracing touches: the fetch reply parsed, the run in its process span when traced. */
async function run(traced: boolean): Promise<void> {
  const [job] = parseFetchReply([-1, 1, "t", false, `|1|1||1|${traced ? (carrier ?? "") : ""}|work|7`, '{"n":1}']).jobs;
  if (traced) await traceAttempt(tracing, "bench", job, async () => outcome);
  else await (async () => outcome)();
}

async function nsPerCall(step: (traced: boolean) => Promise<void>, traced: boolean, calls: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await step(traced);
  return Number(process.hrtime.bigint() - started) / calls;
}

async function compare(name: string, step: (traced: boolean) => Promise<void>): Promise<void> {
  const best = { off: Infinity, on: Infinity };
  for (let batch = 0; batch < 30; batch++) {
    best.off = Math.min(best.off, await nsPerCall(step, false, 2_000));
    best.on = Math.min(best.on, await nsPerCall(step, true, 2_000));
    exporter.reset();
  }
  console.log(
    `${name} (${mode}): untraced ${Math.round(best.off)} ns, traced ${Math.round(best.on)} ns, tracing adds ${Math.round(best.on - best.off)} ns per job`,
  );
}

// A real producer's context, as stored, for the runs to extract.
await traceEnqueue(tracing, definition, 1, false, async (traces) => ((carrier = traces[0]), handle));
await compare("enqueue", enqueue);
await compare("run", run);
