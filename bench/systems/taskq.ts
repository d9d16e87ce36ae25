/**
 * taskq, through the typed client and worker that `npm run bench:generate` (`taskq generate
 * bench/jobs.ts --out bench/generated`) makes from bench/jobs.ts, as an application would use them.
 */
import { BenchJobs } from "../jobs.js";
import { packageVersion } from "../package-version.js";
import type { BenchSystem, OpenSystem } from "./system.js";
import { createClient, createWorker } from "../generated/index.js";

const version = packageVersion("@taskq/runtime");

export const openTaskq: OpenSystem = async (redisUrl) => {
  const client = createClient({ connection: redisUrl });
  const system: BenchSystem = {
    id: "taskq",
    label: `taskq ${version}`,
    keyPatterns: ["tqbench:{bench}:*"],
    async enqueue(kind, body) {
      await (kind === "noop" ? client.enqueueNoop({ body }) : kind === "io" ? client.enqueueIo({ body }) : client.enqueueFlaky({ body }));
    },
    async enqueueBulk(kind, bodies, options) {
      const delayMs = options?.delayMs;
      const items = delayMs === undefined ? bodies.map((body) => ({ body })) : bodies.map((body) => ({ payload: { body }, options: { delayMs } }));
      await (kind === "noop" ? client.enqueueNoopBulk(items) : kind === "io" ? client.enqueueIoBulk(items) : client.enqueueFlakyBulk(items));
    },
    async startWorker(concurrency, hooks) {
      const worker = createWorker({ connection: redisUrl, concurrency, jobs: { bench: new BenchJobs({ started: hooks.started ?? (() => {}) }) } });
      worker.on("completed", () => hooks.completed());
      worker.on("error", (error) => console.error(`taskq worker: ${error.message}`));
      return { close: () => worker.close() };
    },
    close: () => client.close(),
  };
  return system;
};
