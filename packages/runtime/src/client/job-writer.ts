/**
 * The producer's write path: payloads encoded and checked against the size limit, jobs ordered
 * parents first, placed on shards, and written by one script call per shard, within the producer's
 * bound on waiting for Redis (redis/availability.ts). `Client` (client.ts) holds one and the rest
 * of the producer's surface: schedules, handles, dead letters, events.
 */
import { assertJobDefinition, type JobDefinition } from "../definition.js";
import { queueLabel } from "../queue-definition.js";
import { ConfigError, ValidationError } from "../errors.js";
import type { EnqueueOptions } from "../options.js";
import type { RedisClient } from "../redis/connection.js";
import { withinReach } from "../redis/availability.js";
import { assertName } from "../redis/keys.js";
import { enqueueBatch, enqueueJobs } from "../store/index.js";
import { createJobHandle, type HandleContext, type JobHandle } from "./job-handle.js";
import { writeReplicated } from "./replicated-enqueue.js";
import { addJob, dependencyOrder, hasNoKeys, type PendingJob } from "./job-fields.js";
import { assertEnqueueOptions } from "./enqueue-options.js";
import { assertShards } from "../redis/shards.js";
import { seedShardSequence } from "../redis/shard-sequence.js";
import { placeJobs } from "./shard-placement.js";
import { durability, type Durability } from "./durability.js";
import type { Tracing } from "../tracing/tracing.js";
import { traceEnqueue } from "../tracing/producer-spans.js";

/** What the writer needs of its client. */
export interface WriterSettings {
  readonly redis: RedisClient;
  /** Longest a call waits for Redis, to connect and to answer. */
  readonly redisTimeoutMs: number;
  /** Largest payload accepted, in bytes as stored. */
  readonly maxPayloadBytes: number;
  readonly tracing: Tracing | undefined;
  /** The client's handle context of a job type on one shard (its keys, made once). */
  readonly handleContext: <R>(definition: JobDefinition<unknown, R>, shard: number) => HandleContext<R>;
}

export class JobWriter {
  /** Where the free jobs of a sharded queue go next; a random start spreads several producers. */
  private roundRobin = Math.floor(Math.random() * 1024);
  private readonly redis: RedisClient;
  private readonly redisTimeoutMs: number;
  private readonly maxPayloadBytes: number;
  private readonly tracing: Tracing | undefined;
  private readonly handleContext: WriterSettings["handleContext"];

  constructor(settings: WriterSettings) {
    ({
      redis: this.redis,
      redisTimeoutMs: this.redisTimeoutMs,
      maxPayloadBytes: this.maxPayloadBytes,
      tracing: this.tracing,
      handleContext: this.handleContext,
    } = settings);
  }

  /** Writes the items of one enqueue or bulk call (traced when tracing is on). */
  write<P, R>(definition: JobDefinition<P, R>, items: Array<{ payload: P; options?: EnqueueOptions }>, bulk: boolean): Promise<JobHandle<R>[]> {
    if (!this.tracing) return this.writeJobs(definition, items, bulk);
    return traceEnqueue(this.tracing, definition, items.length, bulk, (traces) => this.writeJobs(definition, items, bulk, traces));
  }

  /** `traces`: the trace context each item carries, when tracing is on. */
  private async writeJobs<P, R>(
    definition: JobDefinition<P, R>,
    items: Array<{ payload: P; options?: EnqueueOptions }>,
    bulk: boolean,
    traces?: ReadonlyArray<string | undefined>,
  ): Promise<JobHandle<R>[]> {
    assertDefinitionNames(definition);
    const what = `payload of ${definition.name}`;
    const jobs: PendingJob[] = items.map(({ payload, options = {} }, index) => {
      const at = bulk ? index : undefined;
      // Most enqueues set no option: they need no check.
      if (!hasNoKeys(options)) assertEnqueueOptions(options, definition.name, at);
      // The definition carries its queue's `serializer` and `compressAboveBytes`.
      const data = definition.payload.encodeAs(definition.queue, payload, what, at);
      this.assertPayloadSize(data, what, at);
      return traces?.[index] === undefined ? { payload, data, options } : { payload, data, options, trace: traces[index] };
    });
    const order = dependencyOrder(jobs, definition.queue.name);
    const handles = new Array<JobHandle<R>>(items.length);
    const shards = definition.queue.shards ?? 1;
    if (shards > 1) assertShards(definition.queue.name, shards);
    const durable = durability(jobs); // a bad `durable` option is refused before waiting on Redis
    const call = () => `the enqueue of ${items.length === 1 ? definition.name : `${items.length} ${definition.name} jobs`}`;
    await withinReach(this.redis, this.redisTimeoutMs, call, async () => {
      if (shards === 1) return this.writeShard(definition, jobs, order, bulk, 0, handles, durable);
      const writes = placeJobs(definition, jobs, order, () => this.roundRobin++ % shards);
      await Promise.all(
        writes.map((write) => this.writeShard(definition, jobs, write.order, bulk, write.shard, handles, durability(write.order.map((index) => jobs[index])))),
      );
    });
    return handles;
  }

  /**
   * One job to an unsharded queue, untraced: `writeJobs` for one item, without what only a bulk, a
   * sharded queue or tracing needs. The most common call, and a sequential producer pays its CPU
   * per job: the same checks, in the same order, with fewer arrays, closures and promises.
   */
  async writeOne<P, R>(definition: JobDefinition<P, R>, payload: P, options: EnqueueOptions = {}): Promise<JobHandle<R>> {
    assertDefinitionNames(definition);
    const what = `payload of ${definition.name}`;
    const plain = hasNoKeys(options);
    if (!plain) assertEnqueueOptions(options, definition.name);
    const data = definition.payload.encodeAs(definition.queue, payload, what);
    this.assertPayloadSize(data, what);
    const jobs: PendingJob[] = [{ payload, data, options }];
    // A lone job's dependsOn can still name a queue it may not, or itself.
    if (!plain) dependencyOrder(jobs, definition.queue.name);
    const durable = plain ? undefined : durability(jobs); // a bad `durable` option is refused before waiting on Redis
    const handles = new Array<JobHandle<R>>(1);
    await withinReach(
      this.redis,
      this.redisTimeoutMs,
      () => `the enqueue of ${definition.name}`,
      () => this.writeShard(definition, jobs, ORDER_OF_ONE, false, 0, handles, durable),
    );
    return handles[0];
  }

  /** Refuses a payload over `maxPayloadBytes` as stored (serialized, and compressed if the queue compresses). */
  assertPayloadSize(data: string | Buffer, what: string, at?: number): void {
    const max = this.maxPayloadBytes;
    // A string has at most 3 bytes per UTF-16 unit: short ones need no count.
    if ((typeof data !== "string" || data.length * 3 > max) && Buffer.byteLength(data) > max) {
      throw new ValidationError(
        what,
        [{ path: "", rule: "maxPayloadBytes", message: `encoded payload is ${Buffer.byteLength(data)} bytes, over the limit of ${max}` }],
        at,
      );
    }
  }

  /**
   * Writes the jobs at positions `order` (parents first) to one shard of their queue in one script
   * call, and fills in their handles. `durable`: the durability these jobs ask for.
   */
  private async writeShard<R>(
    definition: JobDefinition<any, R>,
    jobs: PendingJob[],
    order: readonly number[],
    bulk: boolean,
    shard: number,
    handles: JobHandle<R>[],
    durable: Durability | undefined,
  ): Promise<void> {
    // The handle context of the job type and shard holds its keys, made once.
    const context = this.handleContext(definition, shard);
    const keys = context.keys;
    const batch = enqueueBatch(keys, order.length);
    for (const index of order) addJob(batch, definition, jobs[index]);
    if (shard > 0) await seedShardSequence(this.redis, keys, shard);
    const reply = durable ? await writeReplicated(this.redis, batch, durable) : await enqueueJobs(this.redis, batch);
    if (reply.missing) {
      const item = order[reply.missing.index];
      throw new ConfigError(
        `dependsOn${bulk ? ` (item ${item})` : ""}: parent job ${reply.missing.parentId} does not exist in queue ${queueLabel(definition.queue)}`,
      );
    }
    for (let i = 0; i < order.length; i++) handles[order[i]] = createJobHandle(context, reply.ids[i]);
  }
}

/** The write order of a call of one job. */
const ORDER_OF_ONE: readonly number[] = [0];

/** Job types whose prefix, queue and job names were checked (once per client process, not per enqueue). */
const checkedNames = new WeakSet<JobDefinition<any, any>>();

/**
 * Refuses a job type whose prefix, queue or name is not a name (they make its Redis keys), or whose
 * options are out of bounds (they are packed into every enqueue).
 */
export function assertDefinitionNames(definition: JobDefinition<any, any>): void {
  if (checkedNames.has(definition)) return;
  assertJobDefinition(definition);
  assertName("prefix", definition.queue.prefix);
  assertName("queue", definition.queue.name);
  assertName("job", definition.name);
  checkedNames.add(definition);
}
