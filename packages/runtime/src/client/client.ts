import type { JobDefinition } from "../definition.js";
import { DEFAULT_PREFIX, type QueueDefinition } from "../queue-definition.js";
import { ConfigError } from "../errors.js";
import type { EnqueueOptions } from "../options.js";
import { connect, type ConnectionOptions, type OwnedConnection } from "../redis/connection.js";
import { watchConnectionErrors, withinReach } from "../redis/availability.js";
import { jobExists } from "../store/index.js";
import { createJobHandle, handleContext, type HandleContext, type JobHandle } from "./job-handle.js";
import { ResultWaiter } from "./result-waiter.js";
import { EventSubscriber } from "./event-subscriber.js";
import { openQueueEvents, type QueueEvents, type QueueEventsOptions, type QueueEventsTarget } from "./queue-events.js";
import { locatingHandle } from "./locating-handle.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import { jobFields } from "./job-fields.js";
import { assertDefinitionNames, JobWriter } from "./job-writer.js";
import { assertEnqueueOptions } from "./enqueue-options.js";
import { ScheduleStore } from "../scheduler/schedule-store.js";
import { toStored, type Schedule } from "../scheduler/next-fire-time.js";
import { shardOfId } from "../redis/shards.js";
import { resolveTracing, type Tracing } from "../tracing/tracing.js";
import type { TracingOptions } from "../tracing/tracing-options.js";

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
  private readonly redisTimeoutMs: number;
  private readonly tracing: Tracing | undefined;
  /** Per job type, one handle context per shard. */
  private readonly contexts = new WeakMap<JobDefinition<any, any>, Array<HandleContext<any>>>();
  private readonly writer: JobWriter;

  constructor(options: ClientOptions = {}) {
    // Before connecting: a refused option must leave no connection open.
    this.tracing = resolveTracing(options.tracing);
    this.connection = connect(options.connection);
    this.waiter = new ResultWaiter(this.connection.client);
    this.subscriber = new EventSubscriber(this.connection.client);
    this.redisTimeoutMs = options.redisTimeoutMs ?? 5_000;
    if (!(Number.isInteger(this.redisTimeoutMs) && this.redisTimeoutMs > 0)) {
      throw new ConfigError(`redisTimeoutMs must be a positive integer, got ${options.redisTimeoutMs}`);
    }
    this.writer = new JobWriter({
      redis: this.connection.client,
      redisTimeoutMs: this.redisTimeoutMs,
      maxPayloadBytes: options.maxPayloadBytes ?? 1024 * 1024,
      tracing: this.tracing,
      handleContext: (definition, shard) => this.handleContext(definition, shard),
    });
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
    if (this.tracing || (definition?.queue?.shards ?? 1) > 1) return (await this.writer.write(definition, [{ payload, options }], false))[0];
    return this.writer.writeOne(definition, payload, options);
  }

  /** Enqueues every item atomically; an invalid item is reported by its index, and nothing is written. */
  enqueueBulk<P, R>(definition: JobDefinition<P, R>, items: Array<BulkItem<P>>): Promise<JobHandle<R>[]> {
    // An item that is itself a valid payload is one, even when its type has a `payload` field.
    const normalized = items.map((item) => (isWrapped<P>(item) && !definition.payload.check(item) ? item : { payload: item, options: undefined }));
    return this.writer.write(definition, normalized, true);
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
    this.writer.assertPayloadSize(data, what);
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
}

const COUNTED_ID = /^\d+$/;

function isWrapped<P>(item: BulkItem<P>): item is { payload: P; options?: EnqueueOptions } {
  return typeof item === "object" && item !== null && "payload" in item && Object.keys(item).every((k) => k === "payload" || k === "options");
}
