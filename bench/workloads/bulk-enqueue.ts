/** 1. Bulk enqueue: jobs/s written through the system's bulk call, in chunks of 1,000, and CPU per job. */
import { makeBodies } from "../body.js";
import { startCpuMeter } from "../cpu.js";
import { BULK_CHUNK, preload } from "./preload.js";
import { count, cpuMetrics, cpuValues, scaled, type Workload } from "./workload.js";

export function bulkEnqueue(scale: number): Workload {
  const jobs = scaled(100_000, scale, BULK_CHUNK);
  return {
    id: 1,
    name: "bulk enqueue",
    metrics: [
      { key: "bulk", label: `1. bulk enqueue (${count(jobs)}, chunks of ${count(BULK_CHUNK)})`, unit: "jobs/s", better: "higher" },
      ...cpuMetrics("bulk", "1. bulk", "producer"),
    ],
    async run({ system, redis, reset }) {
      await reset();
      const bodies = makeBodies(jobs);
      const meter = await startCpuMeter(redis);
      const start = performance.now();
      await preload(system, "noop", bodies);
      const seconds = (performance.now() - start) / 1000;
      return { bulk: jobs / seconds, ...cpuValues("bulk", await meter(jobs)) };
    },
  };
}
