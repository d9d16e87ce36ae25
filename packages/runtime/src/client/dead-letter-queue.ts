/**
 * The dead-letter queue of one queue: jobs that used up their attempts, threw PermanentError, or
 * could not be decoded. Each keeps its payload, every attempt's error and its timestamps.
 */
import type { AttemptError } from "../errors.js";
import type { RedisClient } from "../redis/connection.js";
import { assertName, queueKeys, type QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";

export interface DeadJob {
  id: string;
  name: string;
  queue: string;
  /** The payload as stored (JSON). */
  payload: string;
  attempts: number;
  createdAt: Date;
  diedAt: Date;
  errors: AttemptError[];
}

export interface DeadJobFilter {
  /** Only jobs of this job name. */
  name?: string;
  /** At most this many. (Default: all) */
  limit?: number;
}

export class DeadLetterQueue {
  private readonly keys: QueueKeys;

  constructor(
    private readonly redis: RedisClient,
    readonly queue: string,
    prefix = "taskq",
  ) {
    assertName("queue", queue);
    this.keys = queueKeys(prefix, queue);
  }

  count(): Promise<number> {
    return this.redis.zcard(this.keys.dead);
  }

  /** Dead jobs, oldest death first. */
  async list(filter: DeadJobFilter = {}): Promise<DeadJob[]> {
    const ids = await this.redis.zrange(this.keys.dead, "0", "-1");
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hmget(this.keys.job(id), "n", "d", "a", "ct", "fin");
      pipeline.hget(`${this.keys.base}data`, id);
      pipeline.lrange(this.keys.errors(id), 0, -1);
    }
    const replies = ids.length ? ((await pipeline.exec()) ?? []) : [];
    const jobs: DeadJob[] = [];
    ids.forEach((id, i) => {
      const [name, ownPayload, attempts, createdAt, diedAt] = replies[3 * i][1] as Array<string | null>;
      const payload = (replies[3 * i + 1][1] as string | null) ?? ownPayload;
      const errors = (replies[3 * i + 2][1] as string[]).map((e) => JSON.parse(e) as AttemptError);
      if (name === null || (filter.name && name !== filter.name)) return;
      jobs.push({
        id,
        name,
        queue: this.queue,
        payload: payload ?? "",
        attempts: Number(attempts),
        createdAt: new Date(Number(createdAt)),
        diedAt: new Date(Number(diedAt)),
        errors,
      });
    });
    return filter.limit === undefined ? jobs : jobs.slice(0, filter.limit);
  }

  /** Puts jobs back in their wait lists with fresh attempts; by ids, or every job matching a filter. */
  async retry(target: string[] | DeadJobFilter = {}): Promise<number> {
    const ids = Array.isArray(target) ? target : (await this.list(target)).map((j) => j.id);
    if (ids.length === 0) return 0;
    return (await runScript(this.redis, "retryDead", [this.keys.dead, this.keys.marker, ...this.keys.wait], [this.keys.base, ...ids])) as number;
  }

  /** Deletes dead jobs for good; by ids, or every job matching a filter. */
  async purge(target: string[] | DeadJobFilter = {}): Promise<number> {
    const ids = Array.isArray(target) ? target : (await this.list(target)).map((j) => j.id);
    if (ids.length === 0) return 0;
    return (await runScript(this.redis, "purgeDead", [this.keys.dead], [this.keys.base, ...ids])) as number;
  }
}
