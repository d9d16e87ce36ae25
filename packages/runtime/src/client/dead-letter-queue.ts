/**
 * The dead-letter queue of one queue: jobs that used up their attempts, threw PermanentError, or
 * could not be decoded. Each keeps its payload, every attempt's error and its timestamps.
 */
import type { AttemptError } from "../errors.js";
import type { RedisClient } from "../redis/connection.js";
import { assertName, shardKeys, type QueueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { payloadAsJson } from "../payload/envelope.js";

export interface DeadJob {
  id: string;
  name: string;
  queue: string;
  /** The payload as JSON text: as stored, or decoded from a binary (msgpack, compressed) envelope. */
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
  /** One key set per shard of the queue; each keeps its own dead jobs. */
  private readonly shards: QueueKeys[];

  /** `shards`: the queue's number of shards; the dead-letter queue spans them all. (Default: 1) */
  constructor(
    private readonly redis: RedisClient,
    readonly queue: string,
    prefix = "taskq",
    shards = 1,
  ) {
    assertName("queue", queue);
    assertName("prefix", prefix);
    this.shards = shardKeys(prefix, queue, shards);
  }

  async count(): Promise<number> {
    const counts = await Promise.all(this.shards.map((keys) => this.redis.zcard(keys.dead)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Dead jobs, oldest death first. */
  async list(filter: DeadJobFilter = {}): Promise<DeadJob[]> {
    const lists = await Promise.all(this.shards.map((keys) => this.listShard(keys, filter)));
    const jobs = lists.length === 1 ? lists[0] : lists.flat().sort((a, b) => a.diedAt.getTime() - b.diedAt.getTime());
    return filter.limit === undefined ? jobs : jobs.slice(0, filter.limit);
  }

  private async listShard(keys: QueueKeys, filter: DeadJobFilter): Promise<DeadJob[]> {
    const ids = await this.redis.zrange(keys.dead, "0", "-1");
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hmget(keys.job(id), "n", "d", "a", "ct", "fin");
      // As bytes: a binary payload (msgpack, compressed) would not survive a text reply.
      pipeline.hgetBuffer(`${keys.base}data`, id);
      pipeline.lrange(keys.errors(id), 0, -1);
    }
    const replies = ids.length ? ((await pipeline.exec()) ?? []) : [];
    const jobs: DeadJob[] = [];
    ids.forEach((id, i) => {
      const [name, ownPayload, attempts, createdAt, diedAt] = replies[3 * i][1] as Array<string | null>;
      const payload = (replies[3 * i + 1][1] as Buffer | null) ?? ownPayload;
      const errors = (replies[3 * i + 2][1] as string[]).map((e) => JSON.parse(e) as AttemptError);
      if (name === null || (filter.name && name !== filter.name)) return;
      jobs.push({
        id,
        name,
        queue: this.queue,
        payload: payload === null ? "" : payloadAsJson(payload),
        attempts: Number(attempts),
        createdAt: new Date(Number(createdAt)),
        diedAt: new Date(Number(diedAt)),
        errors,
      });
    });
    return filter.limit === undefined ? jobs : jobs.slice(0, filter.limit);
  }

  /** Runs an id-taking script on every shard (each skips the ids it does not hold); returns the sum of its counts. */
  private async onEveryShard(ids: string[], run: (keys: QueueKeys) => Promise<unknown>): Promise<number> {
    if (ids.length === 0) return 0;
    const counts = await Promise.all(this.shards.map(run));
    return counts.reduce<number>((a, b) => a + Number(b), 0);
  }

  /** Puts jobs back in their wait lists with fresh attempts; by ids, or every job matching a filter. */
  async retry(target: string[] | DeadJobFilter = {}): Promise<number> {
    const ids = Array.isArray(target) ? target : (await this.list(target)).map((j) => j.id);
    return this.onEveryShard(ids, (keys) => runScript(this.redis, "retryDead", [keys.dead, keys.marker, ...keys.wait], [keys.base, ...ids]));
  }

  /** Deletes dead jobs for good; by ids, or every job matching a filter. */
  async purge(target: string[] | DeadJobFilter = {}): Promise<number> {
    const ids = Array.isArray(target) ? target : (await this.list(target)).map((j) => j.id);
    return this.onEveryShard(ids, (keys) => runScript(this.redis, "purgeDead", [keys.dead], [keys.base, ...ids]));
  }
}
