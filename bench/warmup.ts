/**
 * One untimed pass per system before any measurement: JIT-compiles the shared code paths (ioredis is
 * used by both taskq and BullMQ) and loads each system's scripts, so whichever system runs first
 * does not pay the process's warm-up.
 */
import { makeBodies } from "./body.js";
import { Countdown } from "./countdown.js";
import type { BenchRedis } from "./redis.js";
import type { OpenSystem } from "./systems/system.js";
import { preload } from "./workloads/preload.js";

const JOBS = 3_000;

export async function warmUp(open: OpenSystem, redis: BenchRedis): Promise<void> {
  const system = await open(redis.url);
  try {
    await redis.flush(system.keyPatterns);
    const bodies = makeBodies(JOBS);
    for (const body of bodies.slice(0, 300)) await system.enqueue("noop", body);
    await preload(system, "noop", bodies.slice(300));
    const completed = new Countdown(JOBS);
    const worker = await system.startWorker(100, { completed: completed.tick });
    try {
      await completed.wait(30_000, `${system.id} warm-up`);
    } finally {
      await worker.close();
    }
  } finally {
    await system.close();
    await redis.flush(system.keyPatterns);
  }
}
