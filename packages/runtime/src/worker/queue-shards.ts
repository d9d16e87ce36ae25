/**
 * How many shards a registered queue has. The queue's identity (prefix, name, shards) is declared once
 * by `defineQueue` and every job definition points at it; a registration names the queue too (the
 * generated one by spreading that same object), and a hand-written one may state `shards` itself.
 * What is left to refuse is a registration whose jobs point at another queue, or at a queue of the
 * same prefix and name declared differently (two generated sets disagreeing).
 */
import type { QueueRegistration } from "../definition.js";
import { ConfigError } from "../errors.js";
import { assertSameQueue, queueLabel } from "../queue-definition.js";
import { assertShards } from "../redis/shards.js";

export function queueShards(queue: QueueRegistration): number {
  const jobs = Object.entries(queue.jobs);
  const first = jobs[0]?.[1].definition.queue;
  const shards = queue.shards ?? first?.shards ?? 1;
  assertShards(queue.name, shards);
  for (const [name, { definition }] of jobs) {
    const declared = definition.queue;
    if (declared.name !== queue.name || declared.prefix !== queue.prefix) {
      throw new ConfigError(
        `job ${name} belongs to queue ${queueLabel(declared)}, but is registered on queue ${queueLabel(queue)}: its jobs would be enqueued where this worker does not look`,
      );
    }
    if (first) assertSameQueue(first, declared, `(jobs ${jobs[0][0]} and ${name} of one worker)`);
    if ((declared.shards ?? 1) !== shards && (declared.shards !== undefined || queue.shards === undefined)) {
      throw new ConfigError(
        `queue ${queueLabel(queue)} has ${shards} shards, but job ${name}'s queue says ${declared.shards ?? 1}: producers would place jobs where no worker looks; regenerate the code`,
      );
    }
    // Each shard would count a rate limit on its own, so n shards would let n times the limit through.
    if (shards > 1 && definition.rateLimit) {
      throw new ConfigError(
        `job ${name} has a rateLimit, which a sharded queue (${queue.name}, ${shards} shards) cannot keep: each shard counts on its own; move the job to an unsharded queue`,
      );
    }
  }
  return shards;
}
