/**
 * What tracing costs, end to end on a real Redis: N jobs enqueued one call each (C in flight), then a
 * worker (concurrency C) runs them all; the time of each phase, per variant, median of `REPS` rounds
 * after one warm-up round. One variant per process (the driver interleaves them), so no variant's JIT
 * or loaded modules affect another's:
 *
 *   main     the runtime of RUNTIME (another checkout): no tracing code at all
 *   off      this runtime, tracing not asked for (@opentelemetry/api never loaded)
 *   noop     tracing: true with no SDK registered (the API's no-op tracer and propagator)
 *   memory   tracing: true over a BasicTracerProvider with an in-memory exporter (SimpleSpanProcessor,
 *            the test setup: one synchronous export per span) and the W3C propagator: every span
 *            recorded and every job carrying its trace context
 *   batch    the same through a BatchSpanProcessor, as NodeSDK exports by default
 *
 *   REDIS_URL=redis://127.0.0.1:PORT npx tsx packages/runtime/bench/tracing-overhead.ts <variant>
 */
import { Type } from "typebox";

const variant = process.argv[2] ?? "off";
const N = Number(process.env.N ?? 5_000);
const C = Number(process.env.C ?? 50);
const REPS = Number(process.env.REPS ?? 3);
// "main": another checkout's runtime (RUNTIME=<its packages/runtime>), to compare against.
const root = variant === "main" ? `${process.env.RUNTIME ?? "."}/src` : "../src";
const runtime = (await import(`${root}/index.ts`)) as typeof import("../src/index.js");
const internal = (await import(`${root}/internal.ts`)) as typeof import("../src/internal.js");
const { Client, Worker } = runtime;
const { createCodec, defineJob, defineQueue } = internal;

let reset = () => {};
if (variant === "memory" || variant === "batch") {
  const { context, propagation, trace } = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const { W3CTraceContextPropagator } = await import("@opentelemetry/core");
  const { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const exporter = new InMemorySpanExporter();
  const processor = variant === "batch" ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [processor] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  reset = () => exporter.reset();
}
const tracing = variant === "noop" || variant === "memory" || variant === "batch" ? { tracing: true } : {};

interface Round {
  enqueueMs: number;
  processMs: number;
  /** This process's CPU time (user + system) per job, in µs: less swayed by other loads than wall time. */
  enqueueCpuUs: number;
  processCpuUs: number;
}

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function round(index: number): Promise<Round> {
  const definition = defineJob<{ n: number }, { n: number }>({
    name: "work",
    queue: defineQueue({ name: "bench", prefix: `tb${process.pid}r${index}` }),
    priority: "normal",
    attempts: 1,
    backoff: { type: "fixed", delayMs: 10 },
    keepResultMs: 60_000,
    version: 1,
    payload: createCodec<{ n: number }>(Type.Object({ n: Type.Integer() })),
    result: createCodec<{ n: number }>(Type.Object({ n: Type.Integer() })),
  });
  const client = new Client({ connection: process.env.REDIS_URL, ...tracing });
  let next = 0;
  const cpuStart = cpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) await client.enqueue(definition, { n: next++ });
    }),
  );
  const enqueueMs = performance.now() - started;
  const enqueueCpuUs = (cpu() - cpuStart) / N;

  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((resolve) => (finish = resolve));
  const processCpu = cpu();
  const processStart = performance.now();
  const worker = new Worker({
    connection: process.env.REDIS_URL,
    taskManager: false,
    ...tracing,
    queues: [{ ...definition.queue, concurrency: C, jobs: { work: { definition, handler: async (p: { n: number }) => p } } }],
  });
  worker.on("completed", () => ++done === N && finish());
  await all;
  const processMs = performance.now() - processStart;
  const processCpuUs = (cpu() - processCpu) / N;
  await worker.close();
  await client.redis.flushdb();
  await client.close();
  reset();
  return { enqueueMs, processMs, enqueueCpuUs, processCpuUs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await round(0); // warm-up
const rounds = [];
for (let i = 1; i <= REPS; i++) rounds.push(await round(i));
const enqueue = median(rounds.map((r) => r.enqueueMs));
const processing = median(rounds.map((r) => r.processMs));
console.log(
  JSON.stringify({
    variant,
    N,
    C,
    enqueuePerSec: Math.round((N / enqueue) * 1000),
    processPerSec: Math.round((N / processing) * 1000),
    enqueueCpuUsPerJob: Math.round(median(rounds.map((r) => r.enqueueCpuUs))),
    processCpuUsPerJob: Math.round(median(rounds.map((r) => r.processCpuUs))),
  }),
);
