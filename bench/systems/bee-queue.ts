/**
 * Bee-Queue with its defaults (succeeded jobs kept, worker events on), a producer queue and, per
 * worker, a queue with `isWorker` that also activates delayed jobs (the retries' backoff).
 * The producer neither subscribes to events nor keeps the jobs it saves in memory
 * (`getEvents: false, storeJobs: false`), the documented fire-and-forget producer.
 * Retries: `.retries(1)` (2 attempts), fixed 10 ms backoff; delayed jobs: `.delayUntil`. A job
 * carries no name, so the handler tells an `io` job by its 1 KB body.
 */
import BeeQueue from "bee-queue";
import { awaitIo, failsFirstAttempt, isIoBody } from "../body.js";
import { packageVersion } from "../package-version.js";
import type { BenchSystem, BulkOptions, JobKind, OpenSystem } from "./system.js";

const PREFIX = "beebench";
const QUEUE = "bench";

type Data = { body: string };

function prepare(queue: BeeQueue<Data>, kind: JobKind, body: string, options?: BulkOptions): BeeQueue.Job<Data> {
  const job = queue.createJob({ body });
  if (options?.delayMs !== undefined) job.delayUntil(Date.now() + options.delayMs);
  return kind === "flaky" ? job.retries(1).backoff("fixed", 10) : job;
}

export const openBeeQueue: OpenSystem = async (redisUrl) => {
  const producer = new BeeQueue<Data>(QUEUE, {
    prefix: PREFIX,
    redis: { url: redisUrl },
    isWorker: false,
    getEvents: false,
    storeJobs: false,
  });
  await producer.ready();
  const system: BenchSystem = {
    id: "bee",
    label: `Bee-Queue ${packageVersion("bee-queue")}`,
    keyPatterns: [`${PREFIX}:${QUEUE}:*`],
    async enqueue(kind, body) {
      await prepare(producer, kind, body).save();
    },
    async enqueueBulk(kind, bodies, options) {
      const errors = await producer.saveAll(bodies.map((body) => prepare(producer, kind, body, options)));
      if (errors.size > 0) throw new Error(`Bee-Queue saveAll: ${errors.size} jobs failed: ${[...errors.values()][0]?.message}`);
    },
    async startWorker(concurrency, hooks) {
      const worker = new BeeQueue<Data>(QUEUE, {
        prefix: PREFIX,
        redis: { url: redisUrl },
        isWorker: true,
        getEvents: false,
        storeJobs: false,
        activateDelayedJobs: true,
      });
      worker.on("succeeded", () => hooks.completed());
      worker.on("error", (error) => console.error(`bee-queue worker: ${error.message}`));
      await worker.ready();
      worker.process(concurrency, async (job) => {
        hooks.started?.(job.data.body);
        // `retries` counts down as Bee-Queue retries: 1 left means this is the first attempt.
        if ((job.options as { retries: number }).retries > 0 && failsFirstAttempt(job.data.body)) throw new Error("flaky: fails its first attempt");
        if (isIoBody(job.data.body)) await awaitIo();
      });
      return { close: () => worker.close(30_000) };
    },
    close: () => producer.close(),
  };
  return system;
};
