// Schedules, and when one fires next.
import { Cron } from "croner";
import { ConfigError } from "../errors.js";

/** How often a job runs: a cron expression, an interval (optionally a number of times), or once. */
export type Schedule =
  | {
      /** A cron expression, 5 fields, or 6 with seconds first (`"0 9 * * 1-5"`). */
      cron: string;
      /** IANA time zone the expression is read in (`"Europe/Paris"`); DST is handled. (Default: the local time zone of the process) */
      tz?: string;
    }
  | {
      /** Interval between firings, the first one interval after the schedule is made. */
      everyMs: number;
      /** Firings before the schedule ends. (Default: no end) */
      limit?: number;
    }
  | {
      /** The one instant it fires at. */
      at: Date;
    };

/** The schedule as stored: JSON-safe, `at` as epoch ms. */
export type StoredSchedule =
  | {
      /** A cron expression, 5 fields, or 6 with seconds first. */
      cron: string;
      /** IANA time zone the expression is read in. (Default: the local time zone of the process) */
      tz?: string;
    }
  | {
      /** Interval between firings. */
      everyMs: number;
      /** Firings before the schedule ends. (Default: no end) */
      limit?: number;
    }
  | {
      /** The one instant it fires at, in ms since the epoch. */
      at: number;
    };

export function toStored(schedule: Schedule): StoredSchedule {
  if ("cron" in schedule) {
    try {
      new Cron(schedule.cron, { timezone: schedule.tz, paused: true });
    } catch (error) {
      throw new ConfigError(`invalid cron schedule ${JSON.stringify(schedule.cron)}${schedule.tz ? ` in ${schedule.tz}` : ""}: ${(error as Error).message}`);
    }
    return schedule.tz ? { cron: schedule.cron, tz: schedule.tz } : { cron: schedule.cron };
  }
  if ("everyMs" in schedule) {
    if (!(schedule.everyMs >= 1)) throw new ConfigError(`everyMs must be at least 1, got ${schedule.everyMs}`);
    return schedule.limit === undefined ? { everyMs: schedule.everyMs } : { everyMs: schedule.everyMs, limit: schedule.limit };
  }
  if ("at" in schedule && schedule.at instanceof Date && !Number.isNaN(schedule.at.getTime())) return { at: schedule.at.getTime() };
  throw new ConfigError("a schedule is { cron, tz? }, { everyMs, limit? } or { at: Date }");
}

/**
 * The first firing strictly after `afterMs`, or undefined when the schedule is exhausted.
 * `fired` is how many times it has fired so far (for `limit` and `at`). Cron expressions are read in
 * their time zone, DST handled by croner. A pure function of its inputs, so the caller decides what
 * "now" is (Redis time in production, any clock in tests).
 */
export function nextFireTime(schedule: StoredSchedule, afterMs: number, fired: number): number | undefined {
  if ("cron" in schedule) {
    return new Cron(schedule.cron, { timezone: schedule.tz, paused: true }).nextRun(new Date(afterMs))?.getTime();
  }
  if ("everyMs" in schedule) {
    if (schedule.limit !== undefined && fired >= schedule.limit) return undefined;
    return afterMs + schedule.everyMs;
  }
  return fired === 0 ? schedule.at : undefined;
}
