import type { JobDefinition } from "../definition.js";
import { JobFailedError, TaskqError, TimeoutError } from "../errors.js";
import type { Priority } from "../options.js";
import { queueKeys, type QueueKeys } from "../redis/keys.js";
import type { RedisClient } from "../redis/connection.js";
import type { ResultWaiter } from "./result-waiter.js";
import { readAttemptErrors } from "./stored-attempt-error.js";
import { cancelJob, readJobState, setJobPriority, watchJob, type JobState } from "../store/index.js";
import type { EventSubscriber } from "./event-subscriber.js";
import { followProgress, onProgress, type ProgressIterator, type ProgressOptions } from "./job-progress.js";

export type { JobState } from "../store/index.js";

/**
 * A handle on one enqueued job: its id, and typed access to its result and state. Cheap to hold: it
 * reads Redis only when asked.
 *
 * @typeParam R - The job's result type.
 * @typeParam G - The job's progress type: what its handler passes to `ctx.progress()`.
 */
export interface JobHandle<R, G = unknown> {
  /** The job's id: counted, or the `jobId` it was enqueued with. */
  readonly id: string;
  /** The job type's name. */
  readonly name: string;
  /** The job's queue. */
  readonly queue: string;
  /**
   * Resolves to the job's decoded result once it completes; rejects with `JobFailedError` (carrying
   * every attempt's error) once it is dead or cancelled, and with `TimeoutError` after `timeoutMs`.
   */
  result(options?: { timeoutMs?: number }): Promise<R>;
  /** The job's state now; undefined once its record has expired or been purged. */
  state(): Promise<JobState | undefined>;
  /** Cancels a job that has not started; returns true when it was cancelled. */
  cancel(): Promise<boolean>;
  /** Changes the priority of a job that has not started; returns true when it changed. */
  setPriority(priority: Priority): Promise<boolean>;
  /**
   * The progress values the job's handler reports, as Redis pushes them (no polling): first the
   * value stored now, if any, then each new one; the iteration ends when the job completes, dies or
   * is cancelled, and throws `TaskqError` E_NOT_FOUND when there is no such job. Leaving the loop
   * unsubscribes. A consumer that falls `bufferSize` values behind skips the oldest.
   */
  progress(options?: ProgressOptions): ProgressIterator<G>;
  /** Calls `listener` with each progress value (as {@link JobHandle.progress}); returns the function that stops it. */
  onProgress(listener: (value: G) => void, options?: ProgressOptions): () => void;
}

/** What every handle of one job type shares: made once per client and job type, not per job. */
export interface HandleContext<R> {
  readonly redis: RedisClient;
  readonly waiter: ResultWaiter;
  /** The client's connection for job events, made on first use. */
  readonly events: EventSubscriber;
  readonly definition: JobDefinition<unknown, R>;
  /** The shard of the queue the job is on (0 for an unsharded queue), and its keys. */
  readonly shard: number;
  readonly keys: QueueKeys;
}

export function handleContext<R>(
  redis: RedisClient,
  waiter: ResultWaiter,
  events: EventSubscriber,
  definition: JobDefinition<unknown, R>,
  shard = 0,
): HandleContext<R> {
  return { redis, waiter, events, definition, shard, keys: queueKeys(definition.queue.prefix, definition.queue.name, shard, definition.queue.shards) };
}

class Handle<R> implements JobHandle<R> {
  constructor(
    private readonly context: HandleContext<R>,
    readonly id: string,
  ) {}

  get name(): string {
    return this.context.definition.name;
  }

  get queue(): string {
    return this.context.definition.queue.name;
  }

  get shard(): number {
    return this.context.shard;
  }

  result({ timeoutMs }: { timeoutMs?: number } = {}): Promise<R> {
    const { waiter, keys } = this.context;
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      let stop: () => void = () => {};
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: { value?: R; error?: Error }) => {
        if (settled) return;
        settled = true;
        stop();
        if (timer) clearTimeout(timer);
        if (outcome.error) reject(outcome.error);
        else resolve(outcome.value as R);
      };
      const check = () => {
        this.read(true).then(
          (r) => r.done && settle(r),
          (error: Error) => settle({ error }),
        );
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => settle({ error: new TimeoutError(`job ${this.id} did not finish within ${timeoutMs} ms`) }), timeoutMs);
      }
      waiter.listen(keys.events, this.id, check).then(
        (unlisten) => {
          stop = unlisten;
          if (settled) unlisten();
          else check();
        },
        (error: Error) => settle({ error }),
      );
    });
  }

  async state(): Promise<JobState | undefined> {
    return readJobState(this.context.redis, this.context.keys, this.id);
  }

  async cancel(): Promise<boolean> {
    const { redis, keys, definition } = this.context;
    const before = await cancelJob(redis, { keys, id: this.id, keepResultMs: definition.keepResultMs });
    return before === "waiting" || before === "delayed" || before === "blocked";
  }

  async setPriority(priority: Priority): Promise<boolean> {
    const { redis, keys } = this.context;
    const state = await setJobPriority(redis, { keys, id: this.id, priority });
    return state === "waiting" || state === "delayed";
  }

  progress(options?: ProgressOptions): ProgressIterator<unknown> {
    const { redis, events, keys, definition, shard } = this.context;
    return followProgress({ redis, events, keys, queue: definition.queue.name, shard }, this.id, options);
  }

  onProgress(listener: (value: unknown) => void, options?: ProgressOptions): () => void {
    return onProgress(this.progress(options), listener);
  }

  /** The job's state and, once it has ended, its decoded result or its errors; `flag` marks a waiter. */
  private async read(flag: boolean): Promise<{ done: boolean; value?: R; error?: Error }> {
    const { redis, keys, definition } = this.context;
    const reply = await watchJob(redis, { keys, id: this.id, watch: flag });
    if (!reply)
      return { done: true, error: new TaskqError("E_NOT_FOUND", `job ${this.id} of queue ${definition.queue.name} does not exist (or its record expired)`) };
    const { state, result, errors } = reply;
    if (state === "completed") {
      try {
        return { done: true, value: definition.result.decode(result ?? "null") ?? undefined };
      } catch (error) {
        return { done: true, error: error as Error };
      }
    }
    if (state === "dead" || state === "cancelled") {
      return { done: true, error: new JobFailedError(this.id, state, readAttemptErrors(errors)) };
    }
    return { done: false };
  }
}

export function createJobHandle<R>(context: HandleContext<R>, id: string): JobHandle<R> {
  return new Handle(context, id);
}

/**
 * The shard a handle made by this runtime knows its job is on; undefined for any other object. A
 * child placed by its parents is not on the shard its explicit id hashes to, so its handle says.
 */
export function handleShard(handle: unknown): number | undefined {
  return handle instanceof Handle ? handle.shard : undefined;
}
