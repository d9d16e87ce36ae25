/**
 * 5. Redis memory per job, in three states, all with 64-byte bodies: waiting (a queue nobody
 * fetches), delayed (due in an hour) and completed (drained by a worker, each system keeping
 * completed jobs as it does by default). Each is the growth of INFO `used_memory` from an empty queue
 * after the previous keys are freed, divided by the jobs; both readings are taken after a settle, so
 * lazy frees and client buffers are done. The completed reading is taken after the worker closed.
 */
import { makeBodies } from "../body.js";
import { Countdown } from "../countdown.js";
import { preload } from "./preload.js";
import { count, scaled, sleep, type RunContext, type Workload } from "./workload.js";

const SETTLE_MS = 500;
const DELAY_MS = 3_600_000;

export function memory(scale: number): Workload {
  const jobs = scaled(20_000, scale, 2_000);
  return {
    id: 5,
    name: "memory",
    metrics: [
      { key: "memory", label: `5. Redis memory per waiting job (${count(jobs)})`, unit: "bytes/job", better: "lower" },
      { key: "memory-delayed", label: `5. Redis memory per delayed job (${count(jobs)})`, unit: "bytes/job", better: "lower" },
      { key: "memory-completed", label: `5. Redis memory per completed job (${count(jobs)}, kept)`, unit: "bytes/job", better: "lower" },
    ],
    async run(context) {
      const { system } = context;
      const bodies = makeBodies(jobs);
      const waiting = await growth(context, jobs, () => preload(system, "noop", bodies));
      const delayed = await growth(context, jobs, () => preload(system, "noop", bodies, { delayMs: DELAY_MS }));
      const completed = await growth(context, jobs, async () => {
        await preload(system, "noop", bodies);
        const done = new Countdown(jobs);
        const worker = await system.startWorker(100, { completed: done.tick });
        try {
          await done.wait(30_000, `${system.id} memory (completed)`);
        } finally {
          await worker.close();
        }
      });
      return { memory: waiting, "memory-delayed": delayed, "memory-completed": completed };
    },
  };
}

/** Bytes per job that `fill` adds to an emptied queue. */
async function growth({ redis, reset }: RunContext, jobs: number, fill: () => Promise<void>): Promise<number> {
  await reset();
  await sleep(SETTLE_MS);
  const before = await redis.usedMemoryBytes();
  await fill();
  await sleep(SETTLE_MS);
  return ((await redis.usedMemoryBytes()) - before) / jobs;
}
