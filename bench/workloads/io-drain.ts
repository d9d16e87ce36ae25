/**
 * 8. I/O-bound drain: a pre-loaded queue of 1 KB `io` jobs whose handlers each await 1 ms (a call to
 * another service), worker concurrency 50 — nearer an application's jobs than the no-op drain. With
 * 50 handlers each busy ≥ 1 ms the ceiling is 50,000 jobs/s, so what separates the systems is the
 * queue's own cost per job around the wait. Jobs/s as in workload 3, and CPU per job on each side.
 */
import { makeIoBodies } from "../body.js";
import { Countdown } from "../countdown.js";
import { startCpuMeter } from "../cpu.js";
import { preload } from "./preload.js";
import { count, cpuMetrics, cpuValues, scaled, sleep, type Workload } from "./workload.js";

const CONCURRENCY = 50;

export function ioDrain(scale: number): Workload {
  const jobs = scaled(20_000, scale, 2_000);
  return {
    id: 8,
    name: "io drain",
    metrics: [
      { key: "io-c50", label: `8. drain 1 KB jobs awaiting 1 ms, c=${CONCURRENCY} (${count(jobs)})`, unit: "jobs/s", better: "higher" },
      ...cpuMetrics("io-c50", "8. I/O drain", "worker"),
    ],
    async run({ system, redis, reset }) {
      await reset();
      await preload(system, "io", makeIoBodies(jobs));
      await sleep(200);
      const completed = new Countdown(jobs);
      const meter = await startCpuMeter(redis);
      const start = performance.now();
      const worker = await system.startWorker(CONCURRENCY, { completed: completed.tick });
      try {
        await completed.wait(30_000, `${system.id} io drain`);
        const seconds = (performance.now() - start) / 1000;
        return { "io-c50": jobs / seconds, ...cpuValues("io-c50", await meter(jobs)) };
      } finally {
        await worker.close();
      }
    },
  };
}
