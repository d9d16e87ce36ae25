/**
 * The lease tokens of one runner's fetches. Each must differ from every token any other fetch of the
 * queue ever used, since completing or failing a job is refused unless the caller presents the token
 * of its lease: a number the runner takes from the queue's `seq` once, then its own counter
 * (`<base>:<n>`; the script appends `.<job id>` per job). A fetch then needs no counter call in Redis.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { seedShardSequence } from "../redis/shard-sequence.js";

export class LeaseTokens {
  private base: string | undefined;
  private fetches = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: QueueKeys,
    private readonly shard: number,
  ) {}

  /** Takes the base, once. The shard's sequence is seeded first, so counted ids keep its range. */
  async ready(): Promise<void> {
    if (this.base !== undefined) return;
    await seedShardSequence(this.redis, this.keys, this.shard);
    this.base = String(await this.redis.incr(this.keys.seq));
  }

  /** The next fetch's token. */
  next(): string {
    if (this.base === undefined) throw new Error("a fetch before the runner took its lease-token base");
    return `${this.base}:${++this.fetches}`;
  }
}
