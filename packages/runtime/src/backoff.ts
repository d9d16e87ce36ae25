import { ConfigError } from "./errors.js";
import type { Backoff, BackoffFunction } from "./options.js";

/**
 * The delay before the next attempt, after attempt `attempt` (1-based) failed.
 * Exponential: delayMs, 2·delayMs, 4·delayMs… capped at maxDelayMs; with jitter, a uniformly random
 * delay between 0 and that ("full jitter"), which spreads a burst of failures over time.
 * Custom: the function of jobs.ts the generated worker wired in, given the attempt and the error.
 */
export function backoffDelayMs(backoff: Backoff, attempt: number, random: () => number = Math.random, custom?: BackoffFunction, error?: unknown): number {
  if (backoff.type === "fixed") return backoff.delayMs;
  if (backoff.type === "custom") {
    if (!custom) throw new ConfigError(`backoff function ${backoff.name} is not wired into this worker: regenerate with taskq generate`);
    const delayMs = custom(attempt, error);
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new ConfigError(`backoff function ${backoff.name} returned ${delayMs}, not a delay in ms`);
    return Math.round(delayMs);
  }
  const exponent = Math.max(0, attempt - 1);
  const raw = backoff.delayMs * 2 ** exponent;
  const capped = backoff.maxDelayMs === undefined ? raw : Math.min(raw, backoff.maxDelayMs);
  return Math.round(backoff.jitter ? random() * capped : capped);
}
