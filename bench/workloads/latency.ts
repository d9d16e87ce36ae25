/**
 * 4. Latency: time from calling enqueue to the handler starting, p50 and p99, at a light steady rate
 * (500 jobs/s) with an idle worker of concurrency 100 waiting. Each body carries its send time
 * (`performance.now()`, same process, same clock); the first 10 % of samples warm up and are dropped.
 */
import { sentAtMs, stampedBody } from "../body.js";
import { Countdown } from "../countdown.js";
import { percentile } from "../stats.js";
import { count, scaled, sleep, type Workload } from "./workload.js";

const RATE_PER_S = 500;
const CONCURRENCY = 100;

export function latency(scale: number): Workload {
  const jobs = scaled(2_500, scale, 500);
  const what = `${count(jobs)} at ${RATE_PER_S}/s`;
  return {
    id: 4,
    name: "latency",
    metrics: [
      { key: "latency-p50", label: `4. enqueue→start p50 (${what})`, unit: "ms", better: "lower" },
      { key: "latency-p99", label: `4. enqueue→start p99 (${what})`, unit: "ms", better: "lower" },
    ],
    async run({ system, reset }) {
      await reset();
      const samples: number[] = [];
      const completed = new Countdown(jobs);
      const worker = await system.startWorker(CONCURRENCY, {
        started(body) {
          const sent = sentAtMs(body);
          if (sent !== undefined) samples.push(performance.now() - sent);
        },
        completed: completed.tick,
      });
      try {
        await sleep(200);
        const sends = await sendSteadily(jobs, (body) => system.enqueue("noop", body));
        await Promise.all(sends);
        await completed.wait(30_000, `${system.id} latency`);
      } finally {
        await worker.close();
      }
      const measured = samples.slice(Math.floor(samples.length / 10));
      return { "latency-p50": percentile(measured, 50), "latency-p99": percentile(measured, 99) };
    },
  };
}

/** Calls `send` `jobs` times, one every 1/RATE s on a fixed schedule (no drift), without awaiting. */
async function sendSteadily(jobs: number, send: (body: string) => Promise<void>): Promise<Promise<void>[]> {
  const intervalMs = 1000 / RATE_PER_S;
  const start = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < jobs; i++) {
    const wait = start + i * intervalMs - performance.now();
    if (wait >= 1) await sleep(wait);
    sends.push(send(stampedBody(performance.now())));
  }
  return sends;
}
