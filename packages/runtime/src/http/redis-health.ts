/**
 * Whether Redis answers, for `/health` and `/health/ready`: always known within a bound, so a load
 * balancer or a Kubernetes probe (whose default timeout is 1 s) gets an answer, never a hang. A
 * connection that is down answers at once, with the reason; a connected one must answer a PING in
 * time. Concurrent checks share one PING, so probes during a hang do not pile commands up.
 */
import type { RedisClient } from "../redis/connection.js";
import { redisAddress, unreachableReason, watchConnectionErrors } from "../redis/availability.js";

/** What a check found: Redis answers, or why not (naming `host:port`, never a password). */
export type RedisHealth = { ok: true } | { ok: false; reason: string };

/** Longest a check waits for a PING: under the 1 s a probe waits for the whole answer. */
export const HEALTH_TIMEOUT_MS = 800;

/** A check of `client`, to call on each probe; it settles within `timeoutMs`. */
export function redisHealthCheck(client: RedisClient, timeoutMs = HEALTH_TIMEOUT_MS): () => Promise<RedisHealth> {
  watchConnectionErrors(client);
  let ping: Promise<unknown> | undefined;
  return async () => {
    if (client.status !== "ready") return { ok: false, reason: `Redis at ${redisAddress(client)} is unreachable (${unreachableReason(client)})` };
    ping ??= client.ping().finally(() => (ping = undefined));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), timeoutMs)));
    try {
      if ((await Promise.race([ping, late])) === "late")
        return { ok: false, reason: `Redis at ${redisAddress(client)} did not answer a PING within ${timeoutMs} ms` };
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `Redis at ${redisAddress(client)} failed a PING (${(error as Error).message})` };
    } finally {
      clearTimeout(timer);
    }
  };
}
