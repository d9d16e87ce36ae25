/**
 * 6. Mixed: a pre-loaded queue of `flaky` jobs, 5 % of them failing their first attempt and
 * succeeding on the retry after a fixed 10 ms backoff; seconds from creating a worker of concurrency
 * 100 to the last job completed.
 */
import { makeBodies } from "../body.js";
import { Countdown } from "../countdown.js";
import { preload } from "./preload.js";
import { count, scaled, sleep, type Workload } from "./workload.js";

const FAIL_EVERY = 20;
const CONCURRENCY = 100;

export function mixed(scale: number): Workload {
  const jobs = scaled(20_000, scale, 1_000);
  return {
    id: 6,
    name: "mixed",
    metrics: [{ key: "mixed", label: `6. mixed, 5 % retried (${count(jobs)}, c=${CONCURRENCY})`, unit: "s", better: "lower" }],
    async run({ system, reset }) {
      await reset();
      await preload(system, "flaky", makeBodies(jobs, FAIL_EVERY));
      await sleep(200);
      const completed = new Countdown(jobs);
      let runs = 0;
      const start = performance.now();
      const worker = await system.startWorker(CONCURRENCY, { started: () => runs++, completed: completed.tick });
      try {
        await completed.wait(30_000, `${system.id} mixed`);
        const seconds = (performance.now() - start) / 1000;
        // Every marked job must have run twice, or the system skipped the failures this workload is about.
        const expected = jobs + Math.ceil(jobs / FAIL_EVERY);
        if (runs !== expected) throw new Error(`${system.id} mixed: ${runs} handler runs, expected ${expected}`);
        return { mixed: seconds };
      } finally {
        await worker.close();
      }
    },
  };
}
