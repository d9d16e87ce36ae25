/**
 * 3. Drain: jobs/s a worker in this process completes from a pre-loaded queue of no-op jobs, at
 * concurrency 1, 10 and 100. The clock starts as the worker is created (its connecting included,
 * a few ms) and stops at the last completion Redis acknowledged; loading the queue is not counted.
 * The CPU used by this process (the worker) and by Redis over the same span, per job, beside it.
 */
import { makeBodies } from "../body.js";
import { Countdown } from "../countdown.js";
import { startCpuMeter } from "../cpu.js";
import { preload } from "./preload.js";
import { count, cpuMetrics, cpuValues, scaled, sleep, type Workload } from "./workload.js";

const CONCURRENCIES = [1, 10, 100] as const;

export function drain(scale: number): Workload {
  const jobs = scaled(100_000, scale, 1_000);
  return {
    id: 3,
    name: "drain",
    metrics: CONCURRENCIES.flatMap((c) => [
      { key: `drain-c${c}`, label: `3. drain c=${c} (${count(jobs)} no-op)`, unit: "jobs/s" as const, better: "higher" as const },
      ...cpuMetrics(`drain-c${c}`, `3. drain c=${c}`, "worker"),
    ]),
    async run({ system, redis, reset }) {
      const result: Record<string, number> = {};
      const bodies = makeBodies(jobs);
      for (const concurrency of CONCURRENCIES) {
        await reset();
        await preload(system, "noop", bodies);
        await sleep(200);
        const completed = new Countdown(jobs);
        const meter = await startCpuMeter(redis);
        const start = performance.now();
        const worker = await system.startWorker(concurrency, { completed: completed.tick });
        try {
          await completed.wait(30_000, `${system.id} drain c=${concurrency}`);
          result[`drain-c${concurrency}`] = jobs / ((performance.now() - start) / 1000);
          Object.assign(result, cpuValues(`drain-c${concurrency}`, await meter(jobs)));
        } finally {
          await worker.close();
        }
      }
      return result;
    },
  };
}
