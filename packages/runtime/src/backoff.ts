import type { Backoff } from "./options.js";

/**
 * The delay before the next attempt, after attempt `attempt` (1-based) failed.
 * Exponential: delayMs, 2·delayMs, 4·delayMs… capped at maxDelayMs; with jitter, a uniformly random
 * delay between 0 and that ("full jitter"), which spreads a burst of failures over time.
 */
export function backoffDelayMs(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  if (backoff.type === "fixed") return backoff.delayMs;
  const exponent = Math.max(0, attempt - 1);
  const raw = backoff.delayMs * 2 ** exponent;
  const capped = backoff.maxDelayMs === undefined ? raw : Math.min(raw, backoff.maxDelayMs);
  return Math.round(backoff.jitter ? random() * capped : capped);
}
