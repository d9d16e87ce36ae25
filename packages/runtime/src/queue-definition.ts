/**
 * A queue's identity, declared once: the generated code makes one `defineQueue({...})` per `@Queue`
 * and every job definition of the queue points at it, so the client, the worker and the operations
 * tools read the prefix, shards and payload storage from one object rather than from copies that
 * could disagree.
 */
import { ConfigError } from "./errors.js";
import { assertName } from "./redis/keys.js";
import { assertShards } from "./redis/shards.js";
import { DEFAULT_PREFIX } from "./contract/default-prefix.js";

export { DEFAULT_PREFIX };

/**
 * A queue as the generated code declares it to the runtime. Two queues are the same queue when their
 * prefix and name are equal: the operations tools (inspector, REST API, CLI, metrics) always name a
 * queue by both.
 */
export interface QueueDefinition {
  /** The queue's name. */
  readonly name: string;
  /** Redis key prefix of the queue. */
  readonly prefix: string;
  /**
   * The queue's number of shards, each under a Cluster hash tag of its own (see redis/shards.ts).
   * (Default: 1)
   */
  readonly shards?: number;
  /** How payloads are stored (see `QueueOptions`); workers read any. (Default: "json") */
  readonly serializer?: "json" | "msgpack";
  /** The compression threshold, in serialized bytes. (Default: never) */
  readonly compressAboveBytes?: number;
}

/**
 * Declares a queue: checks its prefix, name, shards and storage options, and freezes it so every job
 * definition pointing at it sees the same identity for as long as the process runs.
 */
export function defineQueue(queue: QueueDefinition): QueueDefinition {
  assertName("prefix", queue.prefix);
  assertName("queue", queue.name);
  if (queue.shards !== undefined) assertShards(queue.name, queue.shards);
  if (queue.serializer !== undefined && queue.serializer !== "json" && queue.serializer !== "msgpack") {
    throw new ConfigError(`queue ${queueLabel(queue)}: serializer must be "json" or "msgpack", got ${JSON.stringify(String(queue.serializer))}`);
  }
  const threshold = queue.compressAboveBytes;
  if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 0)) {
    throw new ConfigError(`queue ${queueLabel(queue)}: compressAboveBytes must be a whole number of bytes from 0, got ${threshold}`);
  }
  return Object.freeze({ ...queue });
}

/**
 * How the operations tools show a queue, and how an operator may name one: `prefix:name`, or the bare
 * name under the default prefix. Names and prefixes hold no `:`, so the label is never ambiguous.
 */
export function queueLabel(queue: { readonly prefix: string; readonly name: string }): string {
  return queue.prefix === DEFAULT_PREFIX ? queue.name : `${queue.prefix}:${queue.name}`;
}

/**
 * A queue as an operator names it: `prefix:name`, or a name (its prefix then `prefix`, else unknown:
 * the inspector looks it up under every prefix).
 */
export function parseQueueLabel(label: string, prefix?: string): { name: string; prefix?: string } {
  const colon = label.indexOf(":");
  if (colon < 0) return prefix === undefined ? { name: label } : { name: label, prefix };
  const [given, name] = [label.slice(0, colon), label.slice(colon + 1)];
  if (prefix !== undefined && prefix !== given) throw new ConfigError(`queue ${label} is under prefix ${given}, but the prefix given is ${prefix}`);
  return { name, prefix: given };
}

/**
 * Refuses a queue declared twice with a different shard count: same prefix and name, other shards.
 * That happens when two generated sets (two services' jobs.ts, or one regenerated and one not) name
 * the same queue: producers of one would place jobs on shards the other's workers do not fetch from.
 * (A different serializer or compression is no conflict: workers read every format, so a queue can
 * change its storage with jobs of the old one still in it.)
 */
export function assertSameQueue(seen: QueueDefinition, other: QueueDefinition, context: string): void {
  if (seen === other || (seen.shards ?? 1) === (other.shards ?? 1)) return;
  throw new ConfigError(
    `queue ${queueLabel(seen)} is declared twice with different shards (${seen.shards ?? 1} and ${other.shards ?? 1}) ${context}: two generated sets disagree on it; regenerate both from one jobs.ts or give the queues different names`,
  );
}
