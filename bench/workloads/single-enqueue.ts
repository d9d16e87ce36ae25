/** 2. Sequential single enqueues: jobs/s when each enqueue waits for the previous one, and CPU per job. */
import { makeBodies } from "../body.js";
import { startCpuMeter } from "../cpu.js";
import { count, cpuMetrics, cpuValues, scaled, type Workload } from "./workload.js";

export function singleEnqueue(scale: number): Workload {
  const jobs = scaled(10_000, scale, 500);
  return {
    id: 2,
    name: "sequential enqueue",
    metrics: [
      { key: "single", label: `2. sequential enqueue (${count(jobs)}, one at a time)`, unit: "jobs/s", better: "higher" },
      ...cpuMetrics("single", "2. sequential", "producer"),
    ],
    async run({ system, redis, reset }) {
      await reset();
      const bodies = makeBodies(jobs);
      const meter = await startCpuMeter(redis);
      const start = performance.now();
      for (const body of bodies) await system.enqueue("noop", body);
      const seconds = (performance.now() - start) / 1000;
      return { single: jobs / seconds, ...cpuValues("single", await meter(jobs)) };
    },
  };
}
