import type { AttemptError } from "../errors.js";
import { DEFAULT_PREFIX } from "../queue-definition.js";
import type { RedisClient } from "../redis/connection.js";
import { assertName, shardKeys, type QueueKeys } from "../redis/keys.js";
import { DEAD_JOB_FIELDS, decodeJobFields, purgeDeadJobs, readJobNames, retryDeadJobs } from "../store/index.js";
import { payloadAsJson } from "../payload/envelope.js";
import { readDeadPage, type DeadCandidate } from "./dead-letter-page.js";
import { pageLimit } from "./page-limit.js";
import { readAttemptErrors } from "./stored-attempt-error.js";

/** A dead job as the dead-letter queue keeps it: enough to see why it died and to retry it. */
export interface DeadJob {
  /** The job's id, kept when it is retried. */
  id: string;
  /** The job type's name. */
  name: string;
  /** The job's queue. */
  queue: string;
  /** Its queue's Redis key prefix: a queue is known by prefix and name. */
  prefix: string;
  /** The payload as JSON text: as stored, or decoded from a binary (msgpack, compressed) envelope. */
  payload: string;
  /** Attempts it ran. */
  attempts: number;
  /** When it was enqueued. */
  createdAt: Date;
  /** When it was dead-lettered. */
  diedAt: Date;
  /** Every failed attempt's error, oldest first. */
  errors: AttemptError[];
}

/** Which dead jobs a list, retry or purge takes. (Default: all) */
export interface DeadJobFilter {
  /** Only jobs of this job name. */
  name?: string;
  /** At most this many, from 1 to 1 000. (Default: 50 for `list`; every match for `retry` and `purge`) */
  limit?: number;
}

/** Where a page of dead jobs starts: the `next` of the page before. (Default: the newest death) */
export interface DeadJobPageOptions extends DeadJobFilter {
  /** The `next` of the page before, one position per shard. (Default: the newest death) */
  from?: readonly number[];
}

/** One page of dead jobs, newest death first, and where the next one starts (undefined at the end). */
export interface DeadJobPage {
  /** This page's dead jobs, newest death first. */
  jobs: DeadJob[];
  /** Pass as `from` for the next page; undefined after the last one. */
  next?: number[];
}

/** Error entries shown per dead job: the latest ones (a garbled attempt count could have made millions). */
const SHOWN_ERRORS = 100;
/** Ids a bulk retry or purge moves per script call, so one call never holds Redis for long. */
const BATCH = 1_000;

/**
 * The dead-letter queue of one queue: jobs that used up their attempts, threw PermanentError, or
 * could not be decoded. Each keeps its payload, every attempt's error and its timestamps, until it is
 * retried or purged.
 */
export class DeadLetterQueue {
  /** One key set per shard of the queue; each keeps its own dead jobs. */
  private readonly shards: QueueKeys[];

  /** `shards`: the queue's number of shards; the dead-letter queue spans them all. (Default: 1) */
  constructor(
    private readonly redis: RedisClient,
    /** The queue whose dead jobs these are. */
    readonly queue: string,
    /** The queue's Redis key prefix. */
    readonly prefix = DEFAULT_PREFIX,
    shards = 1,
  ) {
    assertName("queue", queue);
    assertName("prefix", prefix);
    this.shards = shardKeys(prefix, queue, shards);
  }

  /** Dead jobs across every shard. */
  async count(): Promise<number> {
    const counts = await Promise.all(this.shards.map((keys) => this.redis.zcard(keys.dead)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Dead jobs, newest death first: the first page of `page()`. */
  async list(filter: DeadJobFilter = {}): Promise<DeadJob[]> {
    return (await this.page(filter)).jobs;
  }

  /** One page of dead jobs, newest death first; reads only what the page shows. */
  async page(options: DeadJobPageOptions = {}): Promise<DeadJobPage> {
    const { taken, next } = await readDeadPage(this.redis, this.shards, pageLimit(options.limit), options.name, options.from);
    const jobs = await this.read(taken);
    return next ? { jobs, next } : { jobs };
  }

  private async read(taken: DeadCandidate[]): Promise<DeadJob[]> {
    // One pipeline per shard: on Cluster a pipeline must stay within one slot.
    const byShard = new Map<number, DeadCandidate[]>();
    for (const c of taken) byShard.set(c.shard, [...(byShard.get(c.shard) ?? []), c]);
    const read = new Map<string, DeadJob | undefined>();
    await Promise.all(
      [...byShard].map(async ([shard, candidates]) => {
        const jobs = await this.readShard(this.shards[shard], candidates);
        candidates.forEach((c, i) => read.set(`${shard}\u0000${c.id}`, jobs[i]));
      }),
    );
    return taken.flatMap((c) => read.get(`${c.shard}\u0000${c.id}`) ?? []);
  }

  /** The dead jobs of one shard; undefined where a record expired or was deleted under its index entry. */
  private async readShard(keys: QueueKeys, candidates: DeadCandidate[]): Promise<Array<DeadJob | undefined>> {
    const pipeline = this.redis.pipeline();
    for (const { id } of candidates) {
      pipeline.hmget(keys.job(id), ...DEAD_JOB_FIELDS);
      // As bytes: a binary payload (msgpack, compressed) would not survive a text reply.
      pipeline.hgetBuffer(`${keys.base}data`, id);
      pipeline.lrange(keys.errors(id), -SHOWN_ERRORS, -1);
    }
    const replies = (await pipeline.exec()) ?? [];
    return candidates.map(({ id, diedAtMs }, i): DeadJob | undefined => {
      const record = decodeJobFields(DEAD_JOB_FIELDS, (replies[3 * i][1] as Array<string | null> | null) ?? []);
      if (!record) return undefined;
      // The queue's data hash holds the payload; a record written before that layout holds its own.
      const payload = (replies[3 * i + 1][1] as Buffer | null) ?? record.payload ?? null;
      return {
        id,
        name: record.name,
        queue: this.queue,
        prefix: this.prefix,
        payload: payload === null ? "" : readablePayload(payload),
        attempts: record.attempts ?? 0,
        createdAt: record.createdAt ?? new Date(0),
        diedAt: new Date(diedAtMs),
        errors: readAttemptErrors((replies[3 * i + 2][1] as string[] | null) ?? []),
      };
    });
  }

  /** Every matching id, a batch at a time, oldest death first, each batch handed to `act` before the next is read. */
  private async forEachMatching(filter: DeadJobFilter, act: (keys: QueueKeys, ids: string[]) => Promise<number>): Promise<number> {
    let done = 0;
    let budget = filter.limit === undefined ? Infinity : pageLimit(filter.limit);
    for (const keys of this.shards) {
      // Jobs acted on leave the set; those skipped stay before the next batch, so `kept` is where it starts.
      let kept = 0;
      while (budget > 0) {
        const ids = await this.redis.zrange(keys.dead, String(kept), String(kept + BATCH - 1));
        if (ids.length === 0) break;
        const names = filter.name === undefined ? undefined : await readJobNames(this.redis, keys, ids);
        const matched = ids.filter((_, i) => names === undefined || names[i] === filter.name).slice(0, budget);
        if (matched.length > 0) done += await act(keys, matched);
        budget -= matched.length;
        kept += ids.length - matched.length;
      }
    }
    return done;
  }

  /** Runs an id-taking script on every shard (each skips the ids it does not hold); returns the sum of its counts. */
  private async onEveryShard(ids: string[], run: (keys: QueueKeys) => Promise<unknown>): Promise<number> {
    if (ids.length === 0) return 0;
    const counts = await Promise.all(this.shards.map(run));
    return counts.reduce<number>((a, b) => a + Number(b), 0);
  }

  /** Puts jobs back in their wait lists with fresh attempts; by ids, or every job matching a filter. */
  async retry(target: string[] | DeadJobFilter = {}): Promise<number> {
    const run = (keys: QueueKeys, ids: string[]) => retryDeadJobs(this.redis, { keys, ids });
    return Array.isArray(target) ? this.onEveryShard(target, (keys) => run(keys, target)) : this.forEachMatching(target, run);
  }

  /** Deletes dead jobs for good; by ids, or every job matching a filter. */
  async purge(target: string[] | DeadJobFilter = {}): Promise<number> {
    const run = (keys: QueueKeys, ids: string[]) => purgeDeadJobs(this.redis, { keys, ids });
    return Array.isArray(target) ? this.onEveryShard(target, (keys) => run(keys, target)) : this.forEachMatching(target, run);
  }
}

/** The payload as JSON text; an envelope that cannot be decoded is shown as a note, never thrown. */
function readablePayload(payload: Buffer | string): string {
  try {
    return payloadAsJson(payload);
  } catch (error) {
    return JSON.stringify(`unreadable payload: ${(error as Error).message}`);
  }
}
