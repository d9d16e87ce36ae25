/**
 * `npm run bench:scaling`: does taskq's cost per job stay flat as work piles up? Measures sequential
 * enqueue latency and drain throughput (concurrency 10) with 1,000, 100,000 and 1,000,000 jobs
 * already waiting, and with 10,000 delayed jobs pending beside them: the hot path does no O(n) work,
 * so the figures should not move with the backlog. `--max n` caps the largest backlog.
 */
import { parseArgs } from "node:util";
import { createClient, createWorker } from "./generated/index.js";
import { BenchJobs } from "./jobs.js";
import { openBenchRedis } from "./redis.js";

const { values } = parseArgs({ options: { max: { type: "string", default: "1000000" }, redis: { type: "string" } } });
const backlogs = [1_000, 100_000, 1_000_000].filter((n) => n <= Number(values.max));
const redis = await openBenchRedis(values.redis ?? process.env.BENCH_REDIS_URL);
const client = createClient({ connection: redis.url });
const body = "x".repeat(64);
const rows: string[] = [];

async function preload(waiting: number, delayed: number): Promise<void> {
  for (let i = 0; i < waiting; i += 5_000) {
    await client.enqueueNoopBulk(Array.from({ length: Math.min(5_000, waiting - i) }, () => ({ body })));
  }
  for (let i = 0; i < delayed; i += 5_000) {
    const n = Math.min(5_000, delayed - i);
    await client.enqueueNoopBulk(Array.from({ length: n }, () => ({ payload: { body }, options: { delayMs: 3_600_000 } })));
  }
}

async function enqueueMicros(n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await client.enqueueNoop({ body }, { priority: "batch" });
  return ((performance.now() - start) * 1000) / n;
}

async function drainRate(n: number): Promise<number> {
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const start = performance.now();
  const worker = createWorker({ connection: redis.url, concurrency: 10, jobs: { bench: new BenchJobs({ started: () => {} }) } });
  worker.on("completed", () => ++done === n && finish());
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await worker.close();
  return n / seconds;
}

try {
  for (const delayed of [0, 10_000]) {
    for (const backlog of backlogs) {
      await redis.flush(["tqbench:{bench}:*"]);
      await preload(backlog, delayed);
      const enqueue = await enqueueMicros(2_000);
      const drain = await drainRate(Math.min(5_000, backlog));
      rows.push(`${backlog.toLocaleString("en-US")} | ${delayed.toLocaleString("en-US")} | ${enqueue.toFixed(0)} | ${drain.toFixed(0)}`);
      console.error(rows.at(-1));
    }
  }
  console.log("waiting jobs | delayed jobs | sequential enqueue µs/job | drain jobs/s (c=10)");
  console.log("--- | --- | --- | ---");
  for (const row of rows) console.log(row);
} finally {
  await redis.flush(["tqbench:{bench}:*"]);
  await client.close();
  await redis.close();
}
