/**
 * How many shards a registered queue has, and the checks that keep client and worker agreeing on it.
 * The generated code states `shards` on each job definition (the client places jobs by it); a
 * hand-written registration may state it on the queue instead.
 */
import type { QueueRegistration } from "../definition.js";
import { ConfigError } from "../errors.js";
import { assertShards } from "../redis/shards.js";

export function queueShards(queue: QueueRegistration): number {
  const declared = new Set(Object.values(queue.jobs).map(({ definition }) => definition.shards ?? 1));
  const shards = queue.shards ?? (declared.size === 1 ? [...declared][0] : 1);
  assertShards(queue.name, shards);
  for (const [name, { definition }] of Object.entries(queue.jobs)) {
    if ((definition.shards ?? 1) !== shards && (definition.shards !== undefined || queue.shards === undefined)) {
      throw new ConfigError(`queue ${queue.name} has ${shards} shards, but job ${name} says ${definition.shards ?? 1}: producers would place jobs where no worker looks; regenerate the code`);
    }
    // Each shard would count a rate limit on its own, so n shards would let n times the limit through.
    if (shards > 1 && definition.rateLimit) {
      throw new ConfigError(`job ${name} has a rateLimit, which a sharded queue (${queue.name}, ${shards} shards) cannot keep: each shard counts on its own; move the job to an unsharded queue`);
    }
  }
  return shards;
}
