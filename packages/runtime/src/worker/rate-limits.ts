/**
 * The rate limits of a queue's job types, in the compact JSON fetch-9.lua reads:
 * `{ name: { w: [[windowMs, max], ...], i: minIntervalMs } }`, or "" when no job is limited.
 */
import type { QueueRegistration } from "../definition.js";
import type { RateLimit } from "../options.js";

const WINDOWS: Array<[keyof RateLimit, number]> = [
  ["perSecond", 1_000],
  ["perMinute", 60_000],
  ["perHour", 3_600_000],
  ["perDay", 86_400_000],
];

export function rateLimits(queue: QueueRegistration): string {
  // Without a prototype, a job named `__proto__` is a key like any other (not the object's prototype).
  const limits: Record<string, { w: Array<[number, number]>; i?: number }> = Object.create(null);
  for (const [name, { definition }] of Object.entries(queue.jobs)) {
    const limit = definition.rateLimit;
    if (!limit) continue;
    const w = WINDOWS.filter(([field]) => typeof limit[field] === "number").map(([field, ms]) => [ms, limit[field] as number] as [number, number]);
    limits[name] = limit.minIntervalMs ? { w, i: limit.minIntervalMs } : { w };
  }
  return Object.keys(limits).length > 0 ? JSON.stringify(limits) : "";
}
