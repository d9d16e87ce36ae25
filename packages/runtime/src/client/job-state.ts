/**
 * The states a job's record holds (its `s` field), named once: the scripts write exactly these
 * (packages/runtime/test/job-state.test.ts reads every script to hold them to it), and every reader
 * turns the stored text into a `JobState` here, so a switch over `JobState` sees every state there is.
 */

/** Every state a job can be in, in the order a job usually passes through them. */
export const JOB_STATES = ["blocked", "waiting", "delayed", "active", "completed", "dead", "cancelled"] as const;

/**
 * Where a job is: `blocked` on parents that have not completed (`dependsOn`), `waiting` to be fetched,
 * `delayed` until its due time (a delay, a retry's backoff or a rate limit), `active` leased to a
 * worker, `completed`, `dead` (in the dead-letter queue) or `cancelled`.
 */
export type JobState = (typeof JOB_STATES)[number];

const KNOWN = new Set<string>(JOB_STATES);

/**
 * The state of a record from its stored `s` field; a new record leaves it out, which means
 * `waiting`. `undefined` when there is no record (`exists` false) or the field holds text no script
 * writes (hand-written data), which callers treat as an unreadable record rather than a new state.
 */
export function parseJobState(stored: string | null | undefined, exists: boolean): JobState | undefined {
  if (!exists) return undefined;
  if (stored === null || stored === undefined) return "waiting";
  return KNOWN.has(stored) ? (stored as JobState) : undefined;
}
