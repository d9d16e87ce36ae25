/**
 * `npm run bench:threads`: a CPU-bound job (key stretching, ~100 ms of CPU each) run in the worker's
 * own thread and in `worker_threads` pools of 1 and 2 threads. Prints jobs/s and the worst stall of the
 * worker's event loop, which is what delays heartbeats (a stall longer than the lease loses jobs):
 * in-process the loop is blocked for a whole job at a time; with a pool it stays free.
 *
 *   npm run bench:threads -- [--jobs 24] [--rounds 500]
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Type } from "typebox";
import { Client, Worker } from "@taskq/runtime";
import { createCodec, defineJob, defineQueue, type QueueRegistration } from "@taskq/runtime/internal";
import { startRedis } from "../test/support/redis-server.js";
import { stretch } from "./cpu-handlers.js";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "24" }, rounds: { type: "string", default: "500" } } });
const jobs = Number(values.jobs);
const rounds = Number(values.rounds);

const redis = await startRedis();
const client = new Client({ connection: redis.url });
const rows: string[] = [];
const runs: Array<{ label: string; pool?: number }> = [
  { label: "in the worker's thread" },
  { label: "pool of 1 thread", pool: 1 },
  { label: "pool of 2 threads", pool: 2 },
];

try {
  // Untimed: JIT and the threads' module loading.
  stretch(rounds);
  for (const [i, run] of runs.entries()) {
    const definition = defineJob<{ rounds: number }, string>({
      name: "hash",
      queue: defineQueue({ prefix: `tqthreads${i}`, name: "cpu" }),
      priority: "normal",
      attempts: 1,
      backoff: { type: "fixed", delayMs: 1_000 },
      keepResultMs: 60_000,
      version: 1,
      payload: createCodec(Type.Object({ rounds: Type.Integer() })),
      result: createCodec(Type.String()),
    });
    const queue: QueueRegistration = {
      name: "cpu",
      prefix: definition.queue.prefix,
      concurrency: run.pool ?? 2,
      jobs: { hash: { definition, handler: async (p: { rounds: number }) => stretch(p.rounds) } },
      ...(run.pool ? { pool: { module: new URL("./cpu-handlers.ts", import.meta.url), threads: run.pool } } : {}),
    };
    const worker = new Worker({ connection: redis.url, queues: [queue], heartbeatMs: 250 });
    let lost = 0;
    worker.on("lost", () => lost++);
    // The pool's threads start with the worker: one job each first, so their start-up is not timed.
    await Promise.all(
      (
        await client.enqueueBulk(
          definition,
          Array.from({ length: run.pool ?? 1 }, () => ({ rounds: 1 })),
        )
      ).map((h) => h.result({ timeoutMs: 30_000 })),
    );
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const start = performance.now();
    const handles = await client.enqueueBulk(
      definition,
      Array.from({ length: jobs }, () => ({ rounds })),
    );
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 120_000 })));
    const seconds = (performance.now() - start) / 1000;
    delay.disable();
    await worker.close();
    rows.push(
      `${run.label.padEnd(24)} ${(jobs / seconds).toFixed(1).padStart(7)} jobs/s   event loop stalled up to ${(delay.max / 1e6).toFixed(0).padStart(4)} ms   lost leases ${lost}`,
    );
  }
} finally {
  await client.close();
  await redis.stop();
}
console.log(`${jobs} jobs of ${rounds} × pbkdf2 (1,000 iterations), concurrency = threads (2 in-process), heartbeat every 250 ms`);
for (const row of rows) console.log(row);
