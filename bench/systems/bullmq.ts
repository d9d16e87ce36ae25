/**
 * BullMQ with its defaults (completed jobs kept, events stream on), a Queue as producer and a Worker
 * whose processor does what bench/jobs.ts does. Retries: `attempts: 2`, fixed 10 ms backoff; delayed
 * jobs: the `delay` option.
 */
import { Queue, Worker, type JobsOptions } from "bullmq";
import { awaitIo, failsFirstAttempt } from "../body.js";
import { packageVersion } from "../package-version.js";
import type { BenchSystem, JobKind, OpenSystem } from "./system.js";

const PREFIX = "bqbench";
const QUEUE = "bench";

const jobOptions: Record<JobKind, JobsOptions> = {
  noop: { attempts: 1 },
  flaky: { attempts: 2, backoff: { type: "fixed", delay: 10 } },
  io: { attempts: 1 },
};

export const openBullmq: OpenSystem = async (redisUrl) => {
  const { hostname, port } = new URL(redisUrl);
  const connection = { host: hostname, port: Number(port) };
  const queue = new Queue(QUEUE, { connection, prefix: PREFIX });
  await queue.waitUntilReady();
  const system: BenchSystem = {
    id: "bullmq",
    label: `BullMQ ${packageVersion("bullmq")}`,
    keyPatterns: [`${PREFIX}:${QUEUE}:*`],
    async enqueue(kind, body) {
      await queue.add(kind, { body }, jobOptions[kind]);
    },
    async enqueueBulk(kind, bodies, options) {
      const opts = options?.delayMs === undefined ? jobOptions[kind] : { ...jobOptions[kind], delay: options.delayMs };
      await queue.addBulk(bodies.map((body) => ({ name: kind, data: { body }, opts })));
    },
    async startWorker(concurrency, hooks) {
      const worker = new Worker<{ body: string }>(
        QUEUE,
        async (job) => {
          hooks.started?.(job.data.body);
          if (job.name === "flaky" && job.attemptsMade === 0 && failsFirstAttempt(job.data.body)) {
            throw new Error("flaky: fails its first attempt");
          }
          if (job.name === "io") await awaitIo();
        },
        { connection: { ...connection, maxRetriesPerRequest: null }, prefix: PREFIX, concurrency },
      );
      worker.on("completed", () => hooks.completed());
      worker.on("error", (error) => console.error(`bullmq worker: ${error.message}`));
      await worker.waitUntilReady();
      return { close: () => worker.close() };
    },
    close: () => queue.close(),
  };
  return system;
};
