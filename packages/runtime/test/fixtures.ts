/** Hand-written job definitions, the way generated code declares them, for runtime tests without codegen. */
import { Type } from "typebox";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, type Worker } from "../src/index.js";
import { createCodec, defineJob, defineQueue, type Handler, type JobDefinition, type QueueDefinition, type QueueRegistration } from "../src/internal.js";
import type { TestTopology, TOPOLOGIES } from "../../../test/support/topology.js";
import { parsePendingEntry } from "../src/store/index.js";

export type Tweet = { content: string; mediaIds?: string[] };
export type Posted = { tweetId: string };

export const TweetSchema = Type.Object({
  content: Type.String({ minLength: 1, maxLength: 280 }),
  mediaIds: Type.Optional(Type.Array(Type.String(), { maxItems: 4 })),
});
export const PostedSchema = Type.Object({ tweetId: Type.String() });

/** A job's own options, and its queue's (made into one `defineQueue`) by name. */
export type JobOverrides<P = Tweet, R = Posted> = Partial<Omit<JobDefinition<P, R>, "queue">> & { queue?: string } & Partial<
    Omit<QueueDefinition, "name" | "prefix">
  >;

/** The queue a hand-written test definition points at, the way generated code declares it once. */
export function testQueue(prefix: string, name = "social", options: Partial<Omit<QueueDefinition, "name" | "prefix">> = {}): QueueDefinition {
  return defineQueue({ prefix, name, ...options });
}

export function tweetJob(prefix: string, overrides: JobOverrides = {}): JobDefinition<Tweet, Posted> {
  const { queue = "social", shards, serializer, compressAboveBytes, ...own } = overrides;
  const storage = {
    ...(shards === undefined ? {} : { shards }),
    ...(serializer === undefined ? {} : { serializer }),
    ...(compressAboveBytes === undefined ? {} : { compressAboveBytes }),
  };
  return defineJob<Tweet, Posted>({
    name: "tweet",
    queue: testQueue(prefix, queue, storage),
    priority: "normal",
    attempts: 3,
    backoff: { type: "fixed", delayMs: 30 },
    keepResultMs: 60_000,
    version: 1,
    payload: createCodec<Tweet>(TweetSchema),
    result: createCodec<Posted>(PostedSchema),
    ...own,
  });
}

export function registration(definition: JobDefinition<any, any>, handler: Handler, concurrency = 1): QueueRegistration {
  return {
    name: definition.queue.name,
    prefix: definition.queue.prefix,
    concurrency,
    jobs: { [definition.name]: { definition, handler } },
  };
}

let counter = 0;
/** A key prefix of its own for each test, so tests sharing one Redis never see each other's jobs. */
export function uniquePrefix(): string {
  return `t${process.pid}x${++counter}`;
}

export interface Suite {
  topo: TestTopology;
  client: Client;
  redis: Redis | Cluster;
}

/**
 * A suite's Redis: starts the topology (single Redis or the local cluster) and a Client before the
 * suite, closes the workers a test pushed onto the returned list after each test, and stops it all
 * after the suite. `ready` receives the suite's parts once they exist.
 */
export function useTopology(kind: (typeof TOPOLOGIES)[number], ready: (suite: Suite) => void): Worker[] {
  const workers: Worker[] = [];
  let suite: Suite | undefined;
  beforeAll(async () => {
    const topo = await kind.start();
    suite = { topo, client: new Client({ connection: topo.connection }), redis: topo.redis };
    ready(suite);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    await suite?.client.close();
    await suite?.topo.stop();
  });
  return workers;
}

/**
 * Replaces the stored payload of job `id` by hand, as a corrupting hand or another program would,
 * keeping a pending job's fields (store/pending-job.ts) so the job stays a job.
 */
export async function replaceStoredPayload(redis: Redis | Cluster, dataKey: string, id: string, bytes: Buffer | string): Promise<void> {
  const entry = await redis.hgetBuffer(dataKey, id);
  const header = entry && parsePendingEntry(entry) ? entry.subarray(0, entry.indexOf(0x0a) + 1) : Buffer.alloc(0);
  await redis.hset(dataKey, id, Buffer.concat([header, Buffer.from(bytes)]));
}
