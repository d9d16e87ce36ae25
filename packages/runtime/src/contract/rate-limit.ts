import type { Assert, ListsEvery } from "./exhaustive.js";

/**
 * How often a job type may start, across all workers, on Redis time. Each limit holds in every window
 * of its length wherever that window starts (a sliding log of start times, not calendar windows): a
 * job over a limit waits in `delayed`, without a worker slot or an attempt, until the exact moment
 * the window allows. Limits are positive integers. (Default: each limit unset, no limit)
 */
export interface RateLimit {
  /** At most this many starts in any 1 s. */
  perSecond?: number;
  /** At most this many starts in any 60 s. */
  perMinute?: number;
  /** At most this many starts in any hour. */
  perHour?: number;
  /** At most this many starts in any 24 h. */
  perDay?: number;
  /** At least this long between two starts. */
  minIntervalMs?: number;
  /** A payload field path: one window per distinct value. */
  groupBy?: string;
}

/**
 * The length in ms of each counted window of {@link RateLimit}. `satisfies` ties it to the interface: a
 * window added to one and not the other fails to compile.
 */
export const RATE_LIMIT_WINDOWS = {
  perSecond: 1_000,
  perMinute: 60_000,
  perHour: 3_600_000,
  perDay: 86_400_000,
} as const satisfies Record<Exclude<keyof RateLimit, "minIntervalMs" | "groupBy">, number>;

/** Every key of {@link RateLimit}, windows first, in the order a manifest lists them. */
export const RATE_LIMIT_KEYS = ["perSecond", "perMinute", "perHour", "perDay", "minIntervalMs", "groupBy"] as const;
type _RateLimitKeys = Assert<ListsEvery<keyof RateLimit, typeof RATE_LIMIT_KEYS>>;
