/**
 * The schedules of one queue in Redis: what to enqueue (the job's enqueue fields, validated when the
 * schedule was made) and when it fires next. A schedule's id is a hash of its job, schedule and
 * payload, so an app that declares its schedules at every start does not multiply them.
 */
import { createHash } from "node:crypto";
import type { RedisClient } from "../redis/connection.js";
import { assertName, queueKeys, type QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { nextFireTime, type StoredSchedule } from "./next-fire-time.js";

export interface ScheduleInfo {
  id: string;
  queue: string;
  /** The job name it enqueues. */
  name: string;
  schedule: StoredSchedule;
  /** Undefined once exhausted. */
  nextAt?: Date;
  fired: number;
}

interface StoredEntry {
  name: string;
  schedule: StoredSchedule;
  /** enqueue-8.lua's per-job fields after the id. */
  fields: Array<string | number>;
}

async function redisNow(redis: RedisClient): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

export class ScheduleStore {
  readonly keys: QueueKeys;

  constructor(private readonly redis: RedisClient, readonly queue: string, prefix = "taskq") {
    assertName("queue", queue);
    this.keys = queueKeys(prefix, queue);
  }

  async add(name: string, schedule: StoredSchedule, fields: Array<string | number>): Promise<string> {
    const entry: StoredEntry = { name, schedule, fields };
    const json = JSON.stringify(entry);
    const id = `${name}-${createHash("sha1").update(json).digest("base64url").slice(0, 16)}`;
    const first = nextFireTime(schedule, await redisNow(this.redis), 0);
    if (first === undefined) return id;
    await this.redis.multi().hset(this.keys.schedules, id, json).zadd(this.keys.scheduleDue, "NX", first, id).exec();
    return id;
  }

  async list(): Promise<ScheduleInfo[]> {
    const [entries, due, runs] = await Promise.all([
      this.redis.hgetall(this.keys.schedules),
      this.redis.zrange(this.keys.scheduleDue, "0", "-1", "WITHSCORES"),
      this.redis.hgetall(this.keys.scheduleRuns),
    ]);
    const next = new Map<string, number>();
    for (let i = 0; i < due.length; i += 2) next.set(due[i], Number(due[i + 1]));
    return Object.entries(entries)
      .map(([id, json]) => {
        const entry = JSON.parse(json) as StoredEntry;
        const at = next.get(id);
        return { id, queue: this.queue, name: entry.name, schedule: entry.schedule, nextAt: at === undefined ? undefined : new Date(at), fired: Number(runs[id] ?? 0) };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async remove(id: string): Promise<boolean> {
    const replies = await this.redis.multi().hdel(this.keys.schedules, id).zrem(this.keys.scheduleDue, id).hdel(this.keys.scheduleRuns, id).exec();
    return Number(replies?.[0]?.[1] ?? 0) > 0;
  }

  /**
   * Enqueues every firing that is due (each once, as job "s:<id>:<due>") and moves its schedule on.
   * Returns the ms until the next firing, or -1 when nothing is scheduled.
   */
  async fireDue(limit = 100): Promise<number> {
    const k = this.keys;
    const now = await redisNow(this.redis);
    const due = await this.redis.zrangebyscore(k.scheduleDue, "-inf", now, "WITHSCORES", "LIMIT", 0, limit);
    for (let i = 0; i < due.length; i += 2) {
      const id = due[i];
      const at = Number(due[i + 1]);
      const [json, fired] = await Promise.all([this.redis.hget(k.schedules, id), this.redis.hget(k.scheduleRuns, id)]);
      if (!json) {
        await this.redis.zrem(k.scheduleDue, id);
        continue;
      }
      const entry = JSON.parse(json) as StoredEntry;
      await runScript(this.redis, "enqueue", [k.seq, k.delayed, k.marker, ...k.wait], [k.base, 1, `s:${id}:${at}`, ...entry.fields]);
      const next = nextFireTime(entry.schedule, at, Number(fired ?? 0) + 1);
      await runScript(this.redis, "advanceSchedule", [k.schedules, k.scheduleDue, k.scheduleRuns], [id, at, next ?? ""]);
    }
    const [, score] = await this.redis.zrange(k.scheduleDue, "0", "0", "WITHSCORES");
    return score === undefined ? -1 : Math.max(0, Number(score) - now);
  }
}
