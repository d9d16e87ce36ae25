/**
 * 5. Redis memory per waiting job: the growth of INFO `used_memory` while the queue fills with
 * no-op jobs nobody fetches, divided by the number of jobs. Measured from an empty queue after the
 * previous keys are freed, and again after a settle, so lazy frees and client buffers are done.
 */
import { makeBodies } from "../body.js";
import { preload } from "./preload.js";
import { count, scaled, sleep, type Workload } from "./workload.js";

const SETTLE_MS = 500;

export function memory(scale: number): Workload {
  const jobs = scaled(20_000, scale, 2_000);
  return {
    id: 5,
    name: "memory",
    metrics: [{ key: "memory", label: `5. Redis memory per waiting job (${count(jobs)})`, unit: "bytes/job", better: "lower" }],
    async run({ system, redis, reset }) {
      await reset();
      const bodies = makeBodies(jobs);
      await sleep(SETTLE_MS);
      const before = await redis.usedMemoryBytes();
      await preload(system, "noop", bodies);
      await sleep(SETTLE_MS);
      const after = await redis.usedMemoryBytes();
      return { memory: (after - before) / jobs };
    },
  };
}
