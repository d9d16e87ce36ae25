/** The queues a testing helper works on: a worker's own, else every queue found in Redis. */
import { discoverQueues, type QueueRef } from "../admin/queue-discovery.js";
import { Worker } from "../worker/worker.js";
import { queueShards } from "../worker/queue-shards.js";
import { redisOf, type TestClient } from "./test-target.js";

export async function testQueues(target: TestClient | Worker, only?: readonly string[]): Promise<QueueRef[]> {
  const all: QueueRef[] =
    target instanceof Worker ? target.queues.map((q) => ({ name: q.name, prefix: q.prefix, shards: queueShards(q) })) : await discoverQueues(redisOf(target));
  return only === undefined ? all : all.filter((q) => only.includes(q.name));
}
