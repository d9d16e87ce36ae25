/**
 * The `active` index (lease expiry by job id) holds one member that is no job: an anchor scored
 * +inf that keeps the sorted set in Redis's skiplist encoding (scripts/includes/fetch-jobs.lua says
 * why). Readers of the index read the scores below +inf, which every lease has.
 */
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "../redis/connection.js";

/** Scores of leases: every finite one (ZCOUNT / ZRANGEBYSCORE bounds). */
export const LEASE_SCORES: readonly [string, string] = ["-inf", "(+inf"];

/** The number of leased jobs in `activeKey`. */
export function countActive<C extends RedisClient | ChainableCommander>(client: C, activeKey: string): ReturnType<C["zcount"]> {
  return client.zcount(activeKey, ...LEASE_SCORES) as ReturnType<C["zcount"]>;
}

/** Leased job ids, soonest lease expiry first, from `offset` (all of them without `limit`). */
export function activeIds(client: RedisClient, activeKey: string, offset = 0, limit?: number): Promise<string[]> {
  return limit === undefined && offset === 0
    ? client.zrangebyscore(activeKey, ...LEASE_SCORES)
    : client.zrangebyscore(activeKey, ...LEASE_SCORES, "LIMIT", offset, limit ?? -1);
}
