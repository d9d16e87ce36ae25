/**
 * The rate limits of a queue's job types, in the compact JSON fetch-10.lua reads, or "" when no job is
 * limited: `{ o: clockOffsetMs, j: { name: { w: [[windowMs, max], ...], n: largest max, x: longest
 * windowMs } } }`. `minIntervalMs` is the window `[minIntervalMs, 1]`: one run per interval.
 *
 * fetch-jobs.lua keeps, per job name and group, the start times of the last `n` runs (a sliding log)
 * and lets a job start only when no window of any of its lengths would then hold more than its max.
 */
import type { QueueRegistration } from "../definition.js";
import { ConfigError } from "../errors.js";
import { RATE_LIMIT_WINDOWS } from "../contract/rate-limit.js";

const WINDOWS = Object.entries(RATE_LIMIT_WINDOWS) as Array<[keyof typeof RATE_LIMIT_WINDOWS, number]>;

/**
 * Test-only shifts of the limiter's clock, by queue registration. Not exported from the package: a
 * test imports this module to put the limiter just before a day boundary without waiting for one.
 */
const clockOffsets = new WeakMap<QueueRegistration, number>();

/** @internal Makes the limiter of `queue`'s workers (made after this call) read Redis time plus `offsetMs`. */
export function shiftRateLimitClockForTests(queue: QueueRegistration, offsetMs: number): void {
  clockOffsets.set(queue, offsetMs);
}

export function rateLimits(queue: QueueRegistration): string {
  // Without a prototype, a job named `__proto__` is a key like any other (not the object's prototype).
  const limits = Object.create(null) as Record<string, { w: Array<[number, number]>; n: number; x: number }>;
  for (const [name, { definition }] of Object.entries(queue.jobs)) {
    const limit = definition.rateLimit;
    if (!limit) continue;
    for (const field of [...WINDOWS.map(([f]) => f), "minIntervalMs"] as const) {
      const value = limit[field];
      if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
        throw new ConfigError(`job ${name}: rateLimit.${field} must be a positive integer, got ${JSON.stringify(value)}`);
      }
    }
    const w = WINDOWS.filter(([field]) => typeof limit[field] === "number").map(([field, ms]) => [ms, limit[field] as number] as [number, number]);
    if (limit.minIntervalMs) w.push([limit.minIntervalMs, 1]);
    if (w.length === 0) continue;
    limits[name] = { w, n: Math.max(...w.map(([, max]) => max)), x: Math.max(...w.map(([ms]) => ms)) };
  }
  if (Object.keys(limits).length === 0) return "";
  return JSON.stringify({ o: clockOffsets.get(queue) ?? 0, j: limits });
}
