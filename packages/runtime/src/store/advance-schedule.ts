/**
 * advance-schedule-3.lua: moves a schedule past the firing the caller just enqueued, unless another
 * caller already did, so any number of TaskManagers fire each tick once.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";

/** One schedule's move. */
export interface AdvanceScheduleInput {
  /** The keys of the queue (shard 0) holding its schedules. */
  readonly keys: QueueKeys;
  readonly id: string;
  /** The due time the caller fired. */
  readonly dueAt: number;
  /** The next due time; undefined when exhausted (the schedule is removed). */
  readonly nextAt: number | undefined;
}

/** True when advanced, false when another caller already did. */
export async function advanceSchedule(client: RedisClient, input: AdvanceScheduleInput): Promise<boolean> {
  const k = input.keys;
  const reply = await runScript(client, "advanceSchedule", [k.schedules, k.scheduleDue, k.scheduleRuns], [input.id, input.dueAt, input.nextAt ?? ""]);
  return reply === 1;
}
