/**
 * 7. Burst: 10,000 single enqueues of 1 KB `io` jobs from 50 concurrent callers, each awaiting its
 * own enqueue before the next — the shape of a web server whose requests each enqueue one job, where
 * a client that pipelines the callers' commands into shared writes gains. Jobs/s from the first call
 * to the last acknowledgement, and the CPU per job of this process (the producer) and of Redis.
 */
import { makeIoBodies } from "../body.js";
import { startCpuMeter } from "../cpu.js";
import { count, cpuMetrics, cpuValues, scaled, type Workload } from "./workload.js";

const CALLERS = 50;

export function burst(scale: number): Workload {
  const jobs = scaled(10_000, scale, 1_000);
  return {
    id: 7,
    name: "burst",
    metrics: [
      { key: "burst", label: `7. burst enqueue (${count(jobs)} × 1 KB, ${CALLERS} callers)`, unit: "jobs/s", better: "higher" },
      ...cpuMetrics("burst", "7. burst", "producer"),
    ],
    async run({ system, redis, reset }) {
      await reset();
      const bodies = makeIoBodies(jobs);
      let next = 0;
      const caller = async () => {
        while (next < bodies.length) await system.enqueue("io", bodies[next++]);
      };
      const meter = await startCpuMeter(redis);
      const start = performance.now();
      await Promise.all(Array.from({ length: CALLERS }, caller));
      const seconds = (performance.now() - start) / 1000;
      return { burst: jobs / seconds, ...cpuValues("burst", await meter(jobs)) };
    },
  };
}
