import type { Assert, ListsEvery } from "./exhaustive.js";

/** The kinds of `backoff` a job may take. */
export const BACKOFF_TYPES = ["exponential", "fixed", "custom"] as const;

/** How long to wait before the next attempt after a failure. */
export type Backoff =
  | {
      /** Delays that double after each failed attempt. */
      type: "exponential";
      /** Delay before the 2nd attempt; doubles each attempt. */
      delayMs: number;
      /** Upper bound of one delay. (Default: none) */
      maxDelayMs?: number;
      /** Full jitter: a random delay between 0 and the computed one. (Default: false) */
      jitter?: boolean;
    }
  | {
      /** The same delay before every retry. */
      type: "fixed";
      /** Delay before each retry. */
      delayMs: number;
    }
  | {
      /** Delays computed by a function of yours. */
      type: "custom";
      /** A function exported from jobs.ts: `(attempt: number, error: unknown) => number` (ms). */
      name: string;
    };

// A kind added to `Backoff` and not to BACKOFF_TYPES, or the reverse, fails to compile here.
type _BackoffTypes = Assert<ListsEvery<Backoff["type"], typeof BACKOFF_TYPES>>;

/** A custom backoff: the delay in ms before the next attempt, after attempt `attempt` (1-based) failed. */
export type BackoffFunction = (attempt: number, error: unknown) => number;

/** `delayMs` of an exponential or fixed backoff that leaves it out. */
export const DEFAULT_BACKOFF_DELAY_MS = 60_000;
