import { assertJobDefinition, type JobDefinition } from "../definition.js";
import { DEFAULT_PREFIX, queueLabel, type QueueDefinition } from "../queue-definition.js";
import { ConfigError, ValidationError } from "../errors.js";
import type { EnqueueOptions } from "../options.js";
import { connect, type ConnectionOptions, type OwnedConnection } from "../redis/connection.js";
import { watchConnectionErrors, withinReach } from "../redis/availability.js";
import { assertName } from "../redis/keys.js";
import { enqueueBatch, enqueueJobs, jobExists } from "../store/index.js";
import { createJobHandle, handleContext, type HandleContext, type JobHandle } from "./job-handle.js";
import { ResultWaiter } from "./result-waiter.js";
import { EventSubscriber } from "./event-subscriber.js";
import { openQueueEvents, type QueueEvents, type QueueEventsOptions, type QueueEventsTarget } from "./queue-events.js";
import { locatingHandle } from "./locating-handle.js";
import { writeReplicated } from "./replicated-enqueue.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import { addJob, dependencyOrder, hasNoKeys, jobFields, type PendingJob } from "./job-fields.js";
import { assertEnqueueOptions } from "./enqueue-options.js";
import { ScheduleStore } from "../scheduler/schedule-store.js";
import { toStored, type Schedule } from "../scheduler/next-fire-time.js";
import { assertShards, shardOfId } from "../redis/shards.js";
import { seedShardSequence } from "../redis/shard-sequence.js";
import { placeJobs } from "./shard-placement.js";
import { durability, type Durability } from "./durability.js";
import { resolveTracing, type Tracing } from "../tracing/tracing.js";
import type { TracingOptions } from "../tracing/tracing-options.js";
import { traceEnqueue } from "../tracing/producer-spans.js";

/** Options of `new Client(options)`. */
export interface ClientOptions {
  /** A `redis://`/`rediss://` URL, ioredis options, an ioredis `Redis` or `Cluster`, or `{ cluster: nodes }`. (Default: `TASKQ_REDIS_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379`) */
  connection?: ConnectionOptions;
  /** Largest payload accepted, in bytes as stored (serialized, and compressed when the queue compresses). (Default: 1 MiB) */
  maxPayloadBytes?: number;
  /**
   * Longest an enqueue, bulk enqueue or schedule waits for Redis, to connect and to answer, before it
   * rejects with `RedisUnavailableError`. Nothing is sent while the connection is down, so a call
   * that gave up waiting for it wrote nothing; the connection keeps reconnecting in the background,
   * and calls succeed again once Redis is back. (Default: 5 000 ms)
   */
  redisTimeoutMs?: number;
  /**
   * OpenTelemetry tracing: a `send` span per enqueue (a bulk: one `send` span linked to a `create`
   * span per job), and the W3C trace context stored with each job, so the worker's `process` spans
   * join the producer's trace. Needs `@opentelemetry/api` installed; `true` uses the global tracer
   * provider and propagator. (Default: off; nothing is loaded)
   */
  tracing?: boolean | TracingOptions;
}

/** One item of {@link Client.enqueueBulk}: a payload, or a payload with its own enqueue options. */
export type BulkItem<P> =
  | P
  | {
      /** The job's payload. */
      payload: P;
      /** This item's options. (Default: the job type's) */
      options?: EnqueueOptions;
    };

/** A schedule made by {@link Client.schedule}. */
export interface ScheduleHandle {
  /** The schedule's id in its queue, as {@link ScheduleStore.list} shows it. */
  readonly id: string;
  /** Stops the schedule; jobs it already enqueued stay. Returns false when it was already gone. */
  remove(): Promise<boolean>;
}

/**
 * The producer side: validates payloads with the job's codec, then writes jobs with one script call.
 * Nothing is written for a payload that does not validate, and a bulk call writes all its jobs or none.
 * The generated `enqueueX()` functions call one shared client, made on first use.
 */
export class Client {
  private readonly connection: OwnedConnection;
  private readonly waiter: ResultWaiter;
  /** Job events and progress: its connection is made on first use. */
  private readonly subscriber: EventSubscriber;
  private readonly maxPayloadBytes: number;
  private readonly redisTimeoutMs: number;
  private readonly tracing: Tracing | undefined;
  /** Per job type, one handle context per shard. */
  private readonly contexts = new WeakMap<JobDefinition<any, any>, Array<HandleContext<any>>>();
  /** Where the free jobs of a sharded queue go next; a random start spreads several producers. */
  private roundRobin = Math.floor(Math.random() * 1024);

  constructor(options: ClientOptions = {}) {
    // Before connecting: a refused option must leave no connection open.
    this.tracing = resolveTracing(options.tracing);
    this.connection = connect(options.connection);
    this.waiter = new ResultWaiter(this.connection.client);
    this.subscriber = new EventSubscriber(this.connection.client);
    this.maxPayloadBytes = options.maxPayloadBytes ?? 1024 * 1024;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 5_000;
    if (!(Number.isInteger(this.redisTimeoutMs) && this.redisTimeoutMs > 0)) {
      throw new ConfigError(`redisTimeoutMs must be a positive integer, got ${options.redisTimeoutMs}`);
    }
    watchConnectionErrors(this.connection.client);
  }

  /** The ioredis client this taskq client uses. */
  get redis() {
    return this.connection.client;
  }

  /**
   * Validates `payload` and writes one job; resolves once Redis holds it. Throws `ValidationError`
   * naming each failing field, with nothing written.
   */
  async enqueue<P, R>(definition: JobDefinition<P, R>, payload: P, options?: EnqueueOptions): Promise<JobHandle<R>> {
    // A malformed definition (from JavaScript) must reach the check that refuses it, not fail here.
    if (this.tracing || (definition?.queue?.shards ?? 1) > 1) return (await this.write(definition, [{ payload, options }], false))[0];
    return this.writeOne(definition, payload, options);
  }

  /** Enqueues every item atomically; an invalid item is reported by its index, and nothing is written. */
  enqueueBulk<P, R>(definition: JobDefinition<P, R>, items: Array<BulkItem<P>>): Promise<JobHandle<R>[]> {
    // An item that is itself a valid payload is one, even when its type has a `payload` field.
    const normalized = items.map((item) => (isWrapped<P>(item) && !definition.payload.check(item) ? item : { payload: item, options: undefined }));
    return this.write(definition, normalized, true);
  }

  /**
   * Enqueues the job on a schedule: `{ cron, tz? }`, `{ everyMs, limit? }` or `{ at }`. The payload is
   * validated now; TaskManagers (one runs in every worker) fire it, each tick once.
   */
  async schedule<P>(definition: JobDefinition<P, unknown>, schedule: Schedule, payload: P, options: EnqueueOptions = {}): Promise<ScheduleHandle> {
    assertDefinitionNames(definition);
    assertEnqueueOptions(options, definition.name);
    if (options.jobId !== undefined || options.dependsOn !== undefined) {
      throw new ConfigError("a schedule takes no jobId or dependsOn: each firing is a job of its own");
    }
    const what = `payload of ${definition.name}`;
    const data = definition.payload.encodeAs(definition.queue, payload, what);
    this.assertPayloadSize(data, what);
    const [, ...fields] = jobFields(definition, { payload, data, options });
    const store = this.schedules(definition.queue.name, definition.queue.prefix);
    const stored = toStored(schedule);
    const id = await withinReach(this.redis, this.redisTimeoutMs, `the schedule of ${definition.name}`, () => store.add(definition.name, stored, fields));
    return { id, remove: () => store.remove(id) };
  }

  /** The schedules of one queue: list and remove. */
  schedules(queue: string, prefix = DEFAULT_PREFIX): ScheduleStore {
    return new ScheduleStore(this.redis, queue, prefix);
  }

  /** A handle on an existing job, by id. */
  handle<R>(definition: JobDefinition<any, R>, id: string): JobHandle<R> {
    const shards = definition.queue.shards ?? 1;
    const named = createJobHandle(this.handleContext(definition as JobDefinition<unknown, R>, shardOfId(id, shards)), id);
    // A counted id names its shard; an explicit one hashes to a shard, but a child placed by its
    // parents sits on theirs: that handle finds its job on first use.
    if (shards === 1 || COUNTED_ID.test(id)) return named;
    return locatingHandle(named, async () => {
      for (let shard = 0; shard < shards; shard++) {
        const context = this.handleContext(definition as JobDefinition<unknown, R>, shard);
        if (await jobExists(this.redis, context.keys, id)) return createJobHandle(context, id);
      }
      return undefined;
    });
  }

  /** One shared context per job type and shard, so a bulk of handles costs an object each and no more. */
  private handleContext<R>(definition: JobDefinition<unknown, R>, shard = 0): HandleContext<R> {
    let contexts = this.contexts.get(definition) as Array<HandleContext<R>> | undefined;
    if (!contexts) {
      contexts = [];
      this.contexts.set(definition, contexts);
    }
    return (contexts[shard] ??= handleContext(this.redis, this.waiter, this.subscriber, definition, shard));
  }

  /**
   * The dead-letter queue of one queue, across all its shards: list, retry, purge. Pass the queue as
   * the generated code declares it (`queues.social`), which carries its prefix and shards; by name,
   * give the prefix and shards too (a sharded queue named with too few shards would show only some).
   */
  deadLetterQueue(queue: QueueDefinition | string, prefix = DEFAULT_PREFIX, shards = 1): DeadLetterQueue {
    if (typeof queue === "object") return new DeadLetterQueue(this.redis, queue.name, queue.prefix, queue.shards ?? 1);
    return new DeadLetterQueue(this.redis, queue, prefix, shards);
  }

  /**
   * The state changes of a queue's jobs as they happen (enqueued, started, progress, completed,
   * failed, dead, cancelled), pushed by Redis over sharded pub/sub, from every shard of the queue:
   * `for await (const event of client.events("social"))`. A job definition names its queue, prefix
   * and shards: `client.events(tweetJob)`. Events are not stored: only those published while
   * subscribed arrive (await `ready` to know when that is), and those sent while the connection is
   * down are lost. A consumer that falls `bufferSize` events behind loses the oldest, reported by a
   * `{ type: "dropped", count }` item. Leaving the loop, or `close()`, unsubscribes.
   */
  events(queue: string | QueueEventsTarget, options?: QueueEventsOptions): QueueEvents {
    return openQueueEvents(this.subscriber, queue, options);
  }

  /** Stops waiting for results and closes the connection when the client made it (never one passed in). */
  async close(): Promise<void> {
    await this.waiter.close();
    await this.subscriber.close();
    if (!this.connection.owned) return;
    // QUIT would wait in the offline queue for Redis to come back; with nothing sent, drop the socket.
    if (this.redis.status === "ready") await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private write<P, R>(definition: JobDefinition<P, R>, items: Array<{ payload: P; options?: EnqueueOptions }>, bulk: boolean): Promise<JobHandle<R>[]> {
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
  private async writeOne<P, R>(definition: JobDefinition<P, R>, payload: P, options: EnqueueOptions = {}): Promise<JobHandle<R>> {
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
  private assertPayloadSize(data: string | Buffer, what: string, at?: number): void {
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

const COUNTED_ID = /^\d+$/;

/** The write order of a call of one job. */
const ORDER_OF_ONE: readonly number[] = [0];

/** Job types whose prefix, queue and job names were checked (once per client process, not per enqueue). */
const checkedNames = new WeakSet<JobDefinition<any, any>>();

/**
 * Refuses a job type whose prefix, queue or name is not a name (they make its Redis keys), or whose
 * options are out of bounds (they are packed into every enqueue).
 */
function assertDefinitionNames(definition: JobDefinition<any, any>): void {
  if (checkedNames.has(definition)) return;
  assertJobDefinition(definition);
  assertName("prefix", definition.queue.prefix);
  assertName("queue", definition.queue.name);
  assertName("job", definition.name);
  checkedNames.add(definition);
}

function isWrapped<P>(item: BulkItem<P>): item is { payload: P; options?: EnqueueOptions } {
  return typeof item === "object" && item !== null && "payload" in item && Object.keys(item).every((k) => k === "payload" || k === "options");
}
