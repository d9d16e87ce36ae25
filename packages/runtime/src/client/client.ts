/**
 * The producer side: validates payloads with the job's codec, then writes jobs with one script call.
 * Nothing is written for a payload that does not validate, and a bulk call writes all its jobs or none.
 */
import type { JobDefinition } from "../definition.js";
import { ConfigError, TaskqError, ValidationError } from "../errors.js";
import type { EnqueueOptions } from "../options.js";
import { connect, type ConnectionOptions, type OwnedConnection } from "../redis/connection.js";
import { assertJobId, assertName, priorityIndex, queueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { createJobHandle, type JobHandle } from "./job-handle.js";
import { ResultWaiter } from "./result-waiter.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";

export interface ClientOptions {
  /** A `redis://`/`rediss://` URL, ioredis options, an ioredis `Redis` or `Cluster`, or `{ cluster: nodes }`. (Default: `TASKQ_REDIS_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379`) */
  connection?: ConnectionOptions;
  /** Largest encoded payload accepted, in bytes. (Default: 1 MiB) */
  maxPayloadBytes?: number;
}

export type BulkItem<P> = P | { payload: P; options?: EnqueueOptions };

export type Schedule = { cron: string; tz?: string } | { everyMs: number; limit?: number } | { at: Date };

export interface ScheduleHandle {
  readonly id: string;
  remove(): Promise<boolean>;
}

export class Client {
  private readonly connection: OwnedConnection;
  private readonly waiter: ResultWaiter;
  private readonly maxPayloadBytes: number;

  constructor(options: ClientOptions = {}) {
    this.connection = connect(options.connection);
    this.waiter = new ResultWaiter(this.connection.client);
    this.maxPayloadBytes = options.maxPayloadBytes ?? 1024 * 1024;
  }

  /** The ioredis client this taskq client uses. */
  get redis() {
    return this.connection.client;
  }

  async enqueue<P, R>(definition: JobDefinition<P, R>, payload: P, options?: EnqueueOptions): Promise<JobHandle<R>> {
    const [handle] = await this.write(definition, [{ payload, options }], false);
    return handle;
  }

  /** Enqueues every item atomically; an invalid item is reported by its index, and nothing is written. */
  enqueueBulk<P, R>(definition: JobDefinition<P, R>, items: Array<BulkItem<P>>): Promise<JobHandle<R>[]> {
    // An item that is itself a valid payload is one, even when its type has a `payload` field.
    const normalized = items.map((item) =>
      isWrapped<P>(item) && !definition.payload.check(item) ? item : { payload: item as P, options: undefined },
    );
    return this.write(definition, normalized, true);
  }

  schedule<P>(definition: JobDefinition<P, unknown>, schedule: Schedule, payload: P, options?: EnqueueOptions): Promise<ScheduleHandle> {
    void definition, schedule, payload, options;
    return Promise.reject(new TaskqError("E_UNSUPPORTED", "schedules are not available in this version of taskq"));
  }

  /** A handle on an existing job, by id. */
  handle<R>(definition: JobDefinition<any, R>, id: string): JobHandle<R> {
    return createJobHandle(this.redis, this.waiter, definition as JobDefinition<unknown, R>, id);
  }

  /** The dead-letter queue of one queue: list, retry, purge. */
  deadLetterQueue(queue: string, prefix = "taskq"): DeadLetterQueue {
    return new DeadLetterQueue(this.redis, queue, prefix);
  }

  async close(): Promise<void> {
    await this.waiter.close();
    if (this.connection.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async write<P, R>(
    definition: JobDefinition<P, R>,
    items: Array<{ payload: P; options?: EnqueueOptions }>,
    bulk: boolean,
  ): Promise<JobHandle<R>[]> {
    assertName("queue", definition.queue);
    assertName("job", definition.name);
    const what = `payload of ${definition.name}`;
    const args: Array<string | number> = [];
    items.forEach(({ payload, options = {} }, index) => {
      const at = bulk ? index : undefined;
      const data = definition.payload.encode(payload, what, at);
      if (Buffer.byteLength(data) > this.maxPayloadBytes) {
        throw new ValidationError(what, [{ path: "", rule: "maxPayloadBytes", message: `encoded payload is ${Buffer.byteLength(data)} bytes, over the limit of ${this.maxPayloadBytes}` }], at);
      }
      args.push(...jobFields(definition, data, options));
    });
    const keys = queueKeys(definition.prefix, definition.queue);
    const reply = (await runScript(
      this.redis,
      "enqueue",
      [keys.seq, keys.delayed, keys.marker, ...keys.wait],
      [keys.base, items.length, ...args],
    )) as Array<string | number>;
    const handles: JobHandle<R>[] = [];
    for (let i = 0; i < reply.length; i += 2) handles.push(this.handle(definition, String(reply[i])));
    return handles;
  }
}

function isWrapped<P>(item: BulkItem<P>): item is { payload: P; options?: EnqueueOptions } {
  return typeof item === "object" && item !== null && "payload" in item && Object.keys(item).every((k) => k === "payload" || k === "options");
}

/** The 9 per-job fields of enqueue-8.lua, in its order. */
function jobFields(definition: JobDefinition<any, any>, data: string, options: EnqueueOptions): Array<string | number> {
  if (options.dependsOn?.length) throw new TaskqError("E_UNSUPPORTED", "dependsOn is not available in this version of taskq");
  if (options.jobId !== undefined) assertJobId(options.jobId);
  const attempts = options.attempts ?? definition.attempts;
  if (!Number.isInteger(attempts) || attempts < 1) throw new ConfigError(`attempts must be a positive integer, got ${attempts}`);
  if (options.delayMs !== undefined && !(options.delayMs >= 0)) throw new ConfigError(`delayMs must be >= 0, got ${options.delayMs}`);
  return [
    options.jobId ?? "",
    definition.name,
    data,
    definition.version,
    priorityIndex(options.priority ?? definition.priority),
    attempts,
    options.timeoutMs ?? "",
    options.runAt ? options.runAt.getTime() : "",
    options.delayMs ?? "",
  ];
}
