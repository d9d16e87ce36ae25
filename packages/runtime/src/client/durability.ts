/** The `durable` enqueue option: how many replicas must confirm a write, and how long to wait for them. */
import { ConfigError } from "../errors.js";
import type { EnqueueOptions } from "../options.js";

export interface Durability {
  replicas: number;
  timeoutMs: number;
}

/** The strictest `durable` option among the items, or undefined when none asks. */
export function durability(items: Array<{ options?: EnqueueOptions }>): Durability | undefined {
  let result: Durability | undefined;
  for (const { options } of items) {
    if (!options?.durable) continue;
    const { replicas = 1, timeoutMs = 1_000 } = options.durable === true ? {} : options.durable;
    if (!Number.isInteger(replicas) || replicas < 1) throw new ConfigError(`durable.replicas must be a positive integer, got ${replicas}`);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new ConfigError(`durable.timeoutMs must be a positive integer, got ${timeoutMs}`);
    result = { replicas: Math.max(replicas, result?.replicas ?? 0), timeoutMs: Math.max(timeoutMs, result?.timeoutMs ?? 0) };
  }
  return result;
}
