/**
 * The Redis key layout of one queue. Every key starts with `<prefix>:{<queue>}:`: the braces are a
 * Cluster hash tag, so all of a queue's keys live in one slot and every script below can touch them
 * together on Redis Cluster as on a single Redis.
 */
import { ConfigError, excerpt } from "../errors.js";
import { PRIORITIES, type Priority } from "../options.js";
import { shardTags } from "./shards.js";

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const JOB_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A refused value as an error quotes it: a short excerpt, JSON-quoted so control characters show.
 * Names can come from HTTP requests and from Redis; a message must not carry a whole one.
 */
function quote(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(excerpt(value)) : `(a ${typeof value}, not a string)`;
}

/** Whether `name` is a name taskq puts in keys (a prefix, queue or job name): 1 to 64 of A-Z a-z 0-9 . _ - */
export function isName(name: unknown): name is string {
  return typeof name === "string" && NAME.test(name);
}

export function assertName(kind: "queue" | "job" | "prefix", name: string): void {
  if (!isName(name)) {
    throw new ConfigError(`invalid ${kind} name ${quote(name)}: use 1 to 64 of A-Z a-z 0-9 . _ -`);
  }
}

export function assertJobId(id: string): void {
  if (typeof id !== "string" || !JOB_ID.test(id)) {
    throw new ConfigError(`invalid jobId ${quote(id)}: use 1 to 128 of A-Z a-z 0-9 . _ : -`);
  }
}

export function priorityIndex(priority: Priority): number {
  const index = PRIORITIES.indexOf(priority);
  if (index < 0) throw new ConfigError(`unknown priority ${quote(priority)}: use one of ${PRIORITIES.join(", ")}`);
  return index;
}

export interface QueueKeys {
  /** `<prefix>:{<queue>}:`; scripts derive per-job keys (`job:<id>`, `errors:<id>`) from it. */
  readonly base: string;
  /** One list per priority, most urgent first; jobs are LPUSHed and RPOPed. */
  readonly wait: readonly string[];
  /** ZSET id → due time (ms): delayed jobs and retries waiting for their backoff. */
  readonly delayed: string;
  /** ZSET id → lease expiry (ms): jobs a worker holds. */
  readonly active: string;
  /** Hash id → lease ("<lease token>|<whole>|<attempt>|<startedAt>|<workerId>", scripts/includes/lease.lua) of each job a worker holds. */
  readonly leases: string;
  /** ZSET id → time of death (ms): the dead-letter queue. */
  readonly dead: string;
  /** ZSET id → expiry (finish time + keepResultMs): completed jobs, trimmed with their records. */
  readonly completed: string;
  /** ZSET id → creation time (ms): jobs waiting for their parents (`dependsOn`). */
  readonly blocked: string;
  /** ZSET a worker blocks on (BZPOPMIN) while idle; scripts add a member to wake one. */
  readonly marker: string;
  /** Counter of auto job ids; each worker's runner also takes the base of its lease tokens from it. */
  readonly seq: string;
  /** Pub/sub channel: the id of each finished job somebody waits on. */
  readonly events: string;
  /** Sharded pub/sub channel (SPUBLISH): every state change of the queue's jobs (scripts/includes/publish-event.lua). */
  readonly jobEvents: string;
  /** String, set with a TTL while a client follows the queue's job events: without it the scripts publish none. */
  readonly listening: string;
  /** ZSET worker id → last heartbeat (ms) of the workers serving this queue. */
  readonly workers: string;
  /** Hash schedule id → JSON (job name, schedule, enqueue fields), ZSET id → next firing (ms), hash id → times fired. */
  readonly schedules: string;
  readonly scheduleDue: string;
  readonly scheduleRuns: string;
  /** Hash priority → credit: the state of the weighted-fair choice between priorities. */
  readonly fair: string;
  /** Hash `tick`, `resumedAt`: when the queue last saw a heartbeat, and when Redis came back after a gap. */
  readonly clock: string;
  job(id: string): string;
  /** JSON of a worker's host, pid, queues, concurrency and start time. */
  worker(id: string): string;
  errors(id: string): string;
}

/**
 * The keys of one queue, or of shard `shard` of a queue of `shards` shards (see shards.ts); shard 0
 * is the queue's own tag.
 */
export function queueKeys(prefix: string, queue: string, shard = 0, shards = 1): QueueKeys {
  const base = `${prefix}:{${shard === 0 ? queue : shardTags(queue, shards)[shard]}}:`;
  return {
    base,
    wait: PRIORITIES.map((_, i) => `${base}wait:${i}`),
    delayed: `${base}delayed`,
    active: `${base}active`,
    leases: `${base}leases`,
    dead: `${base}dead`,
    completed: `${base}completed`,
    blocked: `${base}blocked`,
    marker: `${base}marker`,
    seq: `${base}seq`,
    events: `${base}events`,
    jobEvents: `${base}job-events`,
    listening: `${base}listening`,
    workers: `${base}workers`,
    clock: `${base}clock`,
    fair: `${base}fair`,
    schedules: `${base}schedules`,
    scheduleDue: `${base}schedule-due`,
    scheduleRuns: `${base}schedule-runs`,
    worker: (id) => `${base}worker:${id}`,
    job: (id) => `${base}job:${id}`,
    errors: (id) => `${base}errors:${id}`,
  };
}

/** The keys of every shard of a queue, shard 0 first. */
export function shardKeys(prefix: string, queue: string, shards = 1): QueueKeys[] {
  return Array.from({ length: shards }, (_, shard) => queueKeys(prefix, queue, shard, shards));
}
