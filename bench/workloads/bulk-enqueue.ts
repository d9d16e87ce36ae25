/** 1. Bulk enqueue: jobs/s written through the system's bulk call, in chunks of 1,000. */
import { makeBodies } from "../body.js";
import { BULK_CHUNK, preload } from "./preload.js";
import { count, scaled, type Workload } from "./workload.js";

export function bulkEnqueue(scale: number): Workload {
  const jobs = scaled(100_000, scale, BULK_CHUNK);
  return {
    id: 1,
    name: "bulk enqueue",
    metrics: [{ key: "bulk", label: `1. bulk enqueue (${count(jobs)}, chunks of ${count(BULK_CHUNK)})`, unit: "jobs/s", better: "higher" }],
    async run({ system, reset }) {
      await reset();
      const bodies = makeBodies(jobs);
      const start = performance.now();
      await preload(system, "noop", bodies);
      const seconds = (performance.now() - start) / 1000;
      return { bulk: jobs / seconds };
    },
  };
}
