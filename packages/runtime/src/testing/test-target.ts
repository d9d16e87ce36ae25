/**
 * What the testing kit's Redis-side helpers take: a generated `TaskqClient` (typed: job names and
 * payloads come from its `enqueueX` methods), the runtime `Client`, or a `Worker`.
 */
import { Client } from "../client/client.js";
import type { RedisClient } from "../redis/connection.js";
import { Worker } from "../worker/worker.js";

/** A generated `TaskqClient` (anything with the runtime `Client` as `runtime`), or a runtime `Client`. */
export type TestClient = GeneratedClient | Client;

/** What the testing kit needs of a generated `TaskqClient`. */
export interface GeneratedClient {
  /** The runtime client underneath, whose Redis connection the kit reads with. */
  readonly runtime: Client;
}

/**
 * The job names of a generated client, from its `enqueueX` methods (`enqueueSendWelcome` →
 * `"sendWelcome"`); any string for the untyped runtime `Client` and a `Worker`.
 */
export type JobNameOf<C> = C extends Client | Worker
  ? string
  : { [K in keyof C]: K extends `enqueue${infer P}` ? (P extends `${string}Bulk` ? never : Uncapitalize<P>) : never }[keyof C];

/** The payload type of job `N` of a generated client, from its `enqueueX` method; `unknown` for the runtime `Client` and a `Worker`. */
export type JobPayloadOf<C, N extends string> = C extends Client | Worker
  ? unknown
  : C extends { [K in `enqueue${Capitalize<N>}`]: (payload: infer P, ...rest: any[]) => unknown }
    ? P
    : never;

/** The Redis connection a client or worker uses. */
export function redisOf(target: TestClient | Worker): RedisClient {
  if (target instanceof Worker) return target.redis;
  return target instanceof Client ? target.redis : target.runtime.redis;
}
