/**
 * `client.events(queue)`: the state changes of a queue's jobs as they happen, read from the
 * job-events channel of each of its shards (scripts/includes/publish-event.lua writes them). No
 * polling: a message per script call that changed something, pushed by Redis.
 */
import { DEFAULT_PREFIX } from "../contract/default-prefix.js";
import type { QueueDefinition } from "../queue-definition.js";
import { ConfigError } from "../errors.js";
import { assertName, queueKeys } from "../redis/keys.js";
import { assertShards } from "../redis/shards.js";
import { EventStream } from "./event-stream.js";
import type { EventSubscriber } from "./event-subscriber.js";

/**
 * What happened to a job: `enqueued` (written: waiting, delayed or blocked on its parents),
 * `started` (leased by a worker for an attempt), `progress` (its handler called `ctx.progress()`),
 * `completed`, `failed` (an attempt failed and the job will run again), `dead` (no attempt left, a
 * permanent error, its lease lost too often, or a parent that failed), `cancelled`.
 */
export type QueueEventType = "enqueued" | "started" | "progress" | "completed" | "failed" | "dead" | "cancelled";

/** One state change of one job, as {@link Client.events} yields it. */
export interface QueueEvent<Progress = unknown> {
  /** What happened. */
  readonly type: QueueEventType;
  /** The job's id. */
  readonly id: string;
  /** The job type's name. */
  readonly name: string;
  /** The job's queue. */
  readonly queue: string;
  /** The shard of the queue the job is on (0 for an unsharded queue). */
  readonly shard: number;
  /** The attempt (1-based) that started, reported progress, completed or failed; undefined when none ran yet. */
  readonly attempt?: number;
  /** When it happened: Redis's clock, ms since the epoch. */
  readonly at: number;
  /** For `progress`: the value the handler reported. */
  readonly progress?: Progress;
}

/**
 * Yielded in place of events a slow consumer lost: the buffer was full and the `count` oldest
 * events were dropped to bound memory. The events after it are the newest ones.
 */
export interface DroppedEvents {
  /** Marks this report. */
  readonly type: "dropped";
  /** The queue whose events were dropped. */
  readonly queue: string;
  /** How many events were dropped since the previous report. */
  readonly count: number;
}

/**
 * Which queue {@link Client.events} follows, besides a name: the generated `queues.<name>`, or a job
 * definition (its queue), whose prefix and shards are then the queue's own.
 */
export type QueueEventsTarget =
  | QueueDefinition
  | {
      /** The queue a job definition points at. */
      readonly queue: QueueDefinition;
    };

/** Options of {@link Client.events}. */
export interface QueueEventsOptions {
  /** The queue's key prefix, when the queue is given by name. (Default: "taskq") */
  prefix?: string;
  /** The queue's shards, when it is given by name. (Default: 1) */
  shards?: number;
  /**
   * Most events held for a consumer that is behind; past it the oldest are dropped and reported
   * by one {@link DroppedEvents}. (Default: 10 000)
   */
  bufferSize?: number;
}

/**
 * The events of one queue, as an async iterator (`for await (const event of events)`); `close()`,
 * or leaving the loop, unsubscribes.
 */
export interface QueueEvents extends AsyncIterableIterator<QueueEvent | DroppedEvents> {
  /** Resolves once the subscriptions are live: every event after this is delivered. */
  readonly ready: Promise<void>;
  /** How many events this iterator dropped because its consumer was behind. */
  readonly dropped: number;
  /** Unsubscribes and ends the iteration. */
  close(): Promise<void>;
}

/** The default of {@link QueueEventsOptions.bufferSize}. */
export const DEFAULT_EVENT_BUFFER = 10_000;

const TYPES = new Set<string>(["enqueued", "started", "progress", "completed", "failed", "dead", "cancelled"]);

/**
 * The events of one message of a job-events channel, in order; a line that is not an event (written
 * by another program) is skipped rather than failing the others.
 */
export function parseEventMessage(message: string, queue: string, shard: number): QueueEvent[] {
  const lines = message.split("\n");
  const at = Number(lines[0]);
  const events: QueueEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const a = line.indexOf("|");
    const b = line.indexOf("|", a + 1);
    const c = line.indexOf("|", b + 1);
    if (a < 0 || b < 0 || c < 0) continue;
    const type = line.slice(0, a);
    if (!TYPES.has(type)) continue;
    const d = line.indexOf("|", c + 1);
    const attemptText = line.slice(c + 1, d < 0 ? undefined : d);
    const event: { -readonly [K in keyof QueueEvent]: QueueEvent[K] } = {
      type: type as QueueEventType,
      id: line.slice(a + 1, b),
      name: line.slice(b + 1, c),
      queue,
      shard,
      at,
    };
    if (attemptText !== "") event.attempt = Number(attemptText);
    if (type === "progress" && d >= 0) {
      try {
        event.progress = JSON.parse(line.slice(d + 1));
      } catch {
        continue;
      }
    }
    events.push(event);
  }
  return events;
}

/** Checks `bufferSize`: a positive integer. */
export function bufferSizeOf(value: number | undefined, field = "bufferSize"): number {
  const size = value ?? DEFAULT_EVENT_BUFFER;
  if (!(Number.isInteger(size) && size > 0)) throw new ConfigError(`${field} must be a positive integer, got ${value}`);
  return size;
}

/** Subscribes to every shard of a queue's job-events channel; see {@link Client.events}. */
export function openQueueEvents(subscriber: EventSubscriber, target: string | QueueEventsTarget, options: QueueEventsOptions = {}): QueueEvents {
  const definition = typeof target === "string" ? undefined : "queue" in target ? target.queue : target;
  const queue = definition?.name ?? (target as string);
  const prefix = definition?.prefix ?? options.prefix ?? DEFAULT_PREFIX;
  const shards = definition?.shards ?? options.shards ?? 1;
  assertName("queue", queue);
  assertName("prefix", prefix);
  if (shards !== 1) assertShards(queue, shards);
  const capacity = bufferSizeOf(options.bufferSize);
  const unlisten: Array<Promise<() => Promise<void>>> = [];
  const stream = new EventStream<QueueEvent | DroppedEvents>({
    capacity,
    onDrop: (count) => ({ type: "dropped", queue, count }),
    onClose: () => {
      for (const pending of unlisten)
        void pending.then(
          (stop) => stop(),
          () => undefined,
        );
    },
  });
  for (let shard = 0; shard < shards; shard++) {
    const keys = queueKeys(prefix, queue, shard, shards);
    unlisten.push(
      subscriber.listen(keys.jobEvents, keys.listening, {
        onMessage: (message) => {
          for (const event of parseEventMessage(message, queue, shard)) stream.push(event);
        },
        onClose: () => stream.end(),
      }),
    );
  }
  const ready = Promise.all(unlisten).then(
    () => undefined,
    (error: Error) => {
      stream.fail(error);
      throw error;
    },
  );
  // An error is thrown by the next read too; `ready` must not also be an unhandled rejection.
  ready.catch(() => undefined);
  return Object.assign(stream, {
    ready,
    close: async () => {
      await stream.return();
      await Promise.allSettled(unlisten.map((pending) => pending.then((stop) => stop())));
    },
  });
}
