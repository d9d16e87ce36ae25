/**
 * `handle.progress()`: the values one job's handler reports with `ctx.progress()`, pushed by Redis
 * as the worker records them (the progress script publishes on the job's shard's job-events
 * channel), ending when the job ends. The stored value is read once the subscription is live, so a
 * follower that starts late still gets the latest value, and a job that already ended ends the
 * iteration at once.
 */
import { TaskqError } from "../errors.js";
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { EventStream } from "./event-stream.js";
import type { EventSubscriber } from "./event-subscriber.js";
import { readJobProgress, type JobState } from "../store/index.js";
import { bufferSizeOf, parseEventMessage } from "./queue-events.js";

/** Options of {@link JobHandle.progress}. */
export interface ProgressOptions {
  /**
   * Most values held for a consumer that is behind; past it the oldest are dropped (the newest value
   * is always delivered). (Default: 10 000)
   */
  bufferSize?: number;
}

/**
 * The progress values of one job, as an async iterator that ends when the job ends (completed, dead
 * or cancelled); leaving the loop, or `close()`, unsubscribes.
 *
 * @typeParam G - The job's progress type.
 */
export interface ProgressIterator<G> extends AsyncIterableIterator<G> {
  /** Resolves once the subscription is live and the stored value has been read. */
  readonly ready: Promise<void>;
  /** Unsubscribes and ends the iteration. */
  close(): Promise<void>;
}

/** What following one job needs from its handle. */
export interface ProgressSource {
  readonly redis: RedisClient;
  readonly events: EventSubscriber;
  readonly keys: QueueKeys;
  readonly queue: string;
  readonly shard: number;
}

const ENDED: ReadonlySet<JobState> = new Set(["completed", "dead", "cancelled"]);

export function followProgress<G>(source: ProgressSource, id: string, options: ProgressOptions = {}): ProgressIterator<G> {
  const capacity = bufferSizeOf(options.bufferSize);
  const stream = new EventStream<G>({
    capacity,
    // Called only once the stream closes, after `stop` below is set.
    onClose: () =>
      void stop.then(
        (unlisten) => unlisten(),
        () => undefined,
      ),
  });
  /** The JSON of the last value delivered, so a re-read does not repeat it. */
  let last: string | undefined;
  let heard = false;

  /** Reads the stored value and state: after subscribing, and after a reconnect (messages were lost). */
  const reread = async (initial: boolean): Promise<void> => {
    const { exists, state, progress: value } = await readJobProgress(source.redis, source.keys, id);
    if (stream.closed) return;
    if (!exists) {
      stream.fail(new TaskqError("E_NOT_FOUND", `job ${id} of queue ${source.queue} does not exist (or its record expired)`));
      return;
    }
    // A value heard first is newer than one read: the read may have run before that value's write.
    if (value !== null && value !== last && !(initial && heard)) {
      try {
        stream.push(JSON.parse(value) as G);
        last = value;
      } catch {
        // Not JSON (written by hand): there is no value to report.
      }
    }
    if (state !== undefined && ENDED.has(state)) stream.end();
  };

  const stop = source.events.listen(source.keys.jobEvents, source.keys.listening, {
    onMessage: (message) => {
      for (const event of parseEventMessage(message, source.queue, source.shard)) {
        if (event.id !== id) continue;
        if (event.type === "progress") {
          heard = true;
          last = JSON.stringify(event.progress);
          stream.push(event.progress as G);
        } else if (event.type === "completed" || event.type === "dead" || event.type === "cancelled") {
          stream.end();
        }
      }
    },
    onReconnect: () => void reread(false).catch((error: Error) => stream.fail(error)),
    onClose: () => stream.end(),
  });
  const ready = stop.then(
    () => reread(true),
    (error: Error) => {
      stream.fail(error);
      throw error;
    },
  );
  ready.catch((error: Error) => stream.fail(error));
  return Object.assign(stream, {
    ready,
    close: async () => {
      await stream.return();
    },
  });
}

/**
 * Calls `listener` with each progress value until the job ends or the returned function is called.
 * An exception thrown by the listener does not stop the following.
 */
export function onProgress<G>(iterator: ProgressIterator<G>, listener: (value: G) => void): () => void {
  void (async () => {
    for await (const value of iterator) {
      try {
        listener(value);
      } catch {
        // The listener's own failure is its business; the next value still comes.
      }
    }
  })().catch(() => undefined);
  return () => void iterator.close();
}

/** A progress iterator whose source is found first (a handle that still has to locate its job's shard). */
export function lazyProgress<G>(open: () => Promise<ProgressIterator<G>>): ProgressIterator<G> {
  let closed = false;
  const inner = open().then((iterator) => {
    if (closed) void iterator.close();
    return iterator;
  });
  const iterator: ProgressIterator<G> = {
    ready: inner.then((it) => it.ready),
    next: () => inner.then((it) => (closed ? { value: undefined, done: true } : it.next())),
    return: async () => {
      closed = true;
      await inner.then(
        (it) => it.close(),
        () => undefined,
      );
      return { value: undefined, done: true };
    },
    close: async () => {
      await iterator.return?.();
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  // The reads reject with the same error; `ready` alone must not be an unhandled rejection.
  iterator.ready.catch(() => undefined);
  return iterator;
}
