/**
 * Every error taskq throws has a stable `code` a program can switch on and a message a person can act on.
 */
export class TaskqError extends Error {
  constructor(
    /** Stable and machine-readable (`E_VALIDATION`, `E_CONFIG`, …): what a program switches on, unlike the message. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One failing field: its path (`/content`, `/mediaIds/2`) and the rule it broke (`maxLength`). */
export interface ValidationIssue {
  /** JSON pointer to the failing value, `""` for the payload itself (`/content`, `/mediaIds/2`). */
  path: string;
  /** The schema keyword it broke (`maxLength`, `required`, `format`). */
  rule: string;
  /** What is wrong, for a person; never quotes the value. */
  message: string;
}

/**
 * Messages end up in logs, the dead-letter queue and HTTP replies, so they quote caller or stored
 * data only as a short excerpt: enough to recognise it, never a whole payload or a megabyte name.
 */
const EXCERPT_CHARS = 80;
const LISTED_ISSUES = 10;

/** `text` cut to `maxChars`, with an ellipsis when cut. @internal */
export function excerpt(text: string, maxChars = EXCERPT_CHARS): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}…`;
}

/**
 * Issues as a message lists them: paths and rules, never values. A path can hold a payload's own
 * keys (`/<key>` of a record), so each is cut short, and at most 10 are listed. @internal
 */
export function listIssues(issues: readonly ValidationIssue[]): string {
  const listed = issues.slice(0, LISTED_ISSUES).map((i) => `${excerpt(i.path || "/")}: ${i.rule} (${i.message})`);
  if (issues.length > LISTED_ISSUES) listed.push(`and ${issues.length - LISTED_ISSUES} more`);
  return listed.join("; ");
}

/** A payload refused before anything was written to Redis. */
export class ValidationError extends TaskqError {
  constructor(
    /** What was refused, as the message names it (`payload of tweet`). */
    readonly what: string,
    /** Every failing field, not only the first. */
    readonly issues: ValidationIssue[],
    /** In a bulk enqueue, the position of the refused item; absent for a single payload. */
    readonly index?: number,
  ) {
    const at = index === undefined ? "" : ` (item ${index})`;
    super("E_VALIDATION", `invalid ${what}${at}: ${listIssues(issues)}`);
  }
}

/** Stored data that does not decode: an old producer, hand-written data, a corrupt record. */
export class DecodeError extends TaskqError {
  constructor(
    message: string,
    /** The fields that failed the schema; empty when the data did not parse at all. */
    readonly issues: ValidationIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super("E_DECODE", message, options);
  }
}

/** Thrown by a handler: the job goes to the dead-letter queue at once, without retries. */
export class PermanentError extends TaskqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_PERMANENT", message, options);
  }
}

/** Thrown by a handler: the job goes back to the queue after `retryAfterMs`, the attempt not counted. */
export class RateLimitError extends TaskqError {
  constructor(
    /** How long the job waits before it is tried again. */
    readonly retryAfterMs: number,
    message = `rate limited, retry after ${retryAfterMs} ms`,
  ) {
    super("E_RATE_LIMIT", message);
  }
}

/** One failed attempt as the dead-letter queue keeps it. */
export interface AttemptError {
  /** Which attempt failed, 1-based. */
  attempt: number;
  /** The thrown error's message. */
  message: string;
  /** The thrown error's class name (`TypeError`, `TimeoutError`). */
  name: string;
  /** The thrown error's stack, when it had one. */
  stack?: string;
  /** When the attempt failed, in ms since the epoch. */
  at: number;
}

/** `result()` of a job that ended dead (or cancelled): carries the last error and every attempt's. */
export class JobFailedError extends TaskqError {
  constructor(
    /** The job whose result was asked for. */
    readonly jobId: string,
    /** The state it ended in: `dead` or `cancelled`. */
    readonly state: string,
    /** Every failed attempt, oldest first; the last is the one that ended it. */
    readonly errors: AttemptError[],
  ) {
    const last = errors[errors.length - 1];
    super("E_JOB_FAILED", `job ${jobId} is ${state}${last ? `: ${last.message}` : ""}`);
  }
}

/** `result({ timeoutMs })` ran out before the job finished. */
export class TimeoutError extends TaskqError {
  constructor(message: string) {
    super("E_TIMEOUT", message);
  }
}

/** A queue or job name outside `[A-Za-z0-9._-]{1,64}`, or any other misuse of the API. */
export class ConfigError extends TaskqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_CONFIG", message, options);
  }
}

/**
 * Redis did not answer a producer call (an enqueue, a bulk enqueue, a schedule) within the client's
 * `redisTimeoutMs`: nothing listens at the address, the connection is down and reconnecting, or a
 * command went unanswered. The message names the address as `host:port`, never a password.
 *
 * `maybeWritten` is false when nothing was sent (the call is safe to repeat as it is); true when a
 * command was sent but not answered, so it may have run: repeat it with the same `jobId` to be sure
 * it makes one job.
 */
export class RedisUnavailableError extends TaskqError {
  constructor(
    /** Where Redis was expected: `host:port`, a socket path, or the nodes of a Cluster. */
    readonly address: string,
    /** False when nothing was sent (safe to repeat); true when a command went unanswered and may have run. */
    readonly maybeWritten: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("E_REDIS_UNAVAILABLE", message, options);
  }
}
