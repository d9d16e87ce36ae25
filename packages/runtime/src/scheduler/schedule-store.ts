import { createHash } from "node:crypto";
import { DEFAULT_PREFIX } from "../queue-definition.js";
import { ReplyError } from "ioredis";
import type { RedisClient } from "../redis/connection.js";
import { assertName, queueKeys, type QueueKeys } from "../redis/keys.js";
import { addEnqueueFields, advanceSchedule, enqueueBatch, enqueueJobs } from "../store/index.js";
import { shardOfKey } from "../redis/shards.js";
import { seedShardSequence } from "../redis/shard-sequence.js";
import { nextFireTime, type StoredSchedule } from "./next-fire-time.js";
import { excerpt, TaskqError } from "../errors.js";

/** A schedule as {@link ScheduleStore.list} shows it. */
export interface ScheduleInfo {
  /** `<job name>-<hash>`: the same job, schedule and payload always give the same id. */
  id: string;
  /** The queue it enqueues on. */
  queue: string;
  /** That queue's Redis key prefix: a queue is known by prefix and name. */
  prefix: string;
  /** The job name it enqueues. */
  name: string;
  /** When it fires. */
  schedule: StoredSchedule;
  /** Undefined once exhausted. */
  nextAt?: Date;
  /** Times it has fired so far. */
  fired: number;
}

interface StoredEntry {
  name: string;
  schedule: StoredSchedule;
  /** enqueue-8.lua's per-job fields after the id; a binary payload envelope as `{ base64 }`. */
  fields: Array<string | number | { base64: string }>;
}

/** The entry is JSON, which holds no bytes: a binary payload (msgpack, compressed) goes in as base64. */
function toEntryFields(fields: Array<string | number | Buffer>): StoredEntry["fields"] {
  return fields.map((field) => (Buffer.isBuffer(field) ? { base64: field.toString("base64") } : field));
}

function fromEntryFields(fields: StoredEntry["fields"]): Array<string | number | Buffer> {
  return fields.map((field) => (typeof field === "object" && field !== null ? Buffer.from(field.base64, "base64") : field));
}

/** How long a schedule that cannot fire waits before it is tried again. */
const UNFIREABLE_RETRY_MS = 60_000;

/** The unique key's place among enqueue-8.lua's per-job fields after the id. */
const UNIQUE_FIELD = 9;

async function redisNow(redis: RedisClient): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/**
 * The schedules of one queue in Redis: what to enqueue (the job's enqueue fields, validated when the
 * schedule was made) and when it fires next. A schedule's id is a hash of its job, schedule and
 * payload, so an app that declares its schedules at every start does not multiply them.
 */
export class ScheduleStore {
  /** @internal The queue's Redis keys (shard 0, where schedules live); for this class alone. */
  readonly keys: QueueKeys;

  /** `shards`: the queue's number of shards; its schedules live on shard 0 and fire into every shard. */
  constructor(
    private readonly redis: RedisClient,
    /** The queue whose schedules these are. */
    readonly queue: string,
    private readonly prefix = DEFAULT_PREFIX,
    private readonly shards = 1,
  ) {
    assertName("queue", queue);
    assertName("prefix", prefix);
    this.keys = queueKeys(prefix, queue);
  }

  /**
   * Stores a schedule of job `name` and its first due time; returns its id. Adding the same one again
   * changes nothing; an exhausted schedule is not stored.
   *
   * @internal `fields` are the job's enqueue fields, already validated: {@link Client.schedule} makes them.
   */
  async add(name: string, schedule: StoredSchedule, fields: Array<string | number | Buffer>): Promise<string> {
    const entry: StoredEntry = { name, schedule, fields: toEntryFields(fields) };
    const json = JSON.stringify(entry);
    const id = `${name}-${createHash("sha1").update(json).digest("base64url").slice(0, 16)}`;
    const first = nextFireTime(schedule, await redisNow(this.redis), 0);
    if (first === undefined) return id;
    await this.redis.multi().hset(this.keys.schedules, id, json).zadd(this.keys.scheduleDue, "NX", first, id).exec();
    return id;
  }

  /** Every schedule of the queue, by id. */
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
        return {
          id,
          queue: this.queue,
          prefix: this.prefix,
          name: entry.name,
          schedule: entry.schedule,
          nextAt: at === undefined ? undefined : new Date(at),
          fired: Number(runs[id] ?? 0),
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Stops a schedule; jobs it already enqueued stay. Returns false when there was none of that id. */
  async remove(id: string): Promise<boolean> {
    const replies = await this.redis.multi().hdel(this.keys.schedules, id).zrem(this.keys.scheduleDue, id).hdel(this.keys.scheduleRuns, id).exec();
    return Number(replies?.[0]?.[1] ?? 0) > 0;
  }

  /**
   * Enqueues every firing that is due (each once, as job "s:<id>:<due>") and moves its schedule on.
   * Returns the ms until the next firing, or -1 when nothing is scheduled. `aheadMs` fires what is due
   * that many ms from now too (the testing kit's `advanceTime`). (Default: 0)
   *
   * @internal The TaskManager calls it; applications run a TaskManager (every worker does) instead.
   */
  async fireDue(limit = 100, aheadMs = 0): Promise<number> {
    const k = this.keys;
    const now = await redisNow(this.redis);
    // `aheadMs`: the testing kit's TestClock fires what is due that far ahead of Redis's clock.
    const due = await this.redis.zrangebyscore(k.scheduleDue, "-inf", now + aheadMs, "WITHSCORES", "LIMIT", 0, limit);
    const failures: string[] = [];
    for (let i = 0; i < due.length; i += 2) {
      const id = due[i];
      const at = Number(due[i + 1]);
      try {
        await this.fire(id, at);
      } catch (error) {
        // An entry that cannot fire (written by hand, or corrupt: its JSON does not parse, or Redis
        // refuses its fields) must not hold back the schedules after it: it is tried again a minute
        // later, and reported. Anything else (Redis unreachable) ends the pass, the tick kept as due.
        if (!(error instanceof SyntaxError || error instanceof ReplyError)) throw error;
        await this.redis.zadd(k.scheduleDue, "XX", now + UNFIREABLE_RETRY_MS, id);
        failures.push(`${excerpt(id)}: ${excerpt((error as Error).message, 200)}`);
      }
    }
    if (failures.length > 0) {
      throw new TaskqError(
        "E_SCHEDULE",
        `queue ${this.queue}: ${failures.length} schedule(s) cannot fire, tried again in ${UNFIREABLE_RETRY_MS / 1000} s: ${failures.join("; ")}`,
      );
    }
    const [, score] = await this.redis.zrange(k.scheduleDue, "0", "0", "WITHSCORES");
    return score === undefined ? -1 : Math.max(0, Number(score) - now);
  }

  /** Enqueues the firing of schedule `id` due at `at` (job "s:<id>:<at>") and moves the schedule on. */
  private async fire(id: string, at: number): Promise<void> {
    const k = this.keys;
    const [json, fired] = await Promise.all([this.redis.hget(k.schedules, id), this.redis.hget(k.scheduleRuns, id)]);
    if (!json) {
      await this.redis.zrem(k.scheduleDue, id);
      return;
    }
    const entry = JSON.parse(json) as StoredEntry;
    const jobId = `s:${id}:${at}`;
    const target = await this.firingKeys(jobId, entry);
    const batch = enqueueBatch(target, 1);
    addEnqueueFields(batch, [jobId, ...fromEntryFields(entry.fields)]);
    await enqueueJobs(this.redis, batch);
    const next = nextFireTime(entry.schedule, at, Number(fired ?? 0) + 1);
    await advanceSchedule(this.redis, { keys: k, id, dueAt: at, nextAt: next });
  }

  /**
   * The keys of the shard a firing goes to: where its unique key places it, else where its job id
   * does (as the client places a job), so re-firing a tick finds the job it already made.
   */
  private async firingKeys(jobId: string, entry: StoredEntry): Promise<QueueKeys> {
    if (this.shards === 1) return this.keys;
    const unique = entry.fields[UNIQUE_FIELD];
    const shard = shardOfKey(typeof unique === "string" && unique !== "" ? unique : jobId, this.shards);
    const keys = queueKeys(this.prefix, this.queue, shard, this.shards);
    await seedShardSequence(this.redis, keys, shard);
    return keys;
  }
}
