/**
 * A handle on one enqueued job: its id, and typed access to its result and state.
 */
import type { JobDefinition } from "../definition.js";
import { JobFailedError, TaskqError, TimeoutError, type AttemptError } from "../errors.js";
import type { Priority } from "../options.js";
import { priorityIndex, queueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import type { RedisClient } from "../redis/connection.js";
import type { ResultWaiter } from "./result-waiter.js";

export type JobState = "waiting" | "delayed" | "active" | "completed" | "dead" | "cancelled";

export interface JobHandle<R> {
  readonly id: string;
  readonly name: string;
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
}

type WatchReply = null | [string, string | null, ...string[]];

export function createJobHandle<R>(
  redis: RedisClient,
  waiter: ResultWaiter,
  definition: JobDefinition<unknown, R>,
  id: string,
): JobHandle<R> {
  const keys = queueKeys(definition.prefix, definition.queue);

  const read = async (flag: boolean): Promise<{ done: boolean; value?: R; error?: Error }> => {
    const reply = (await runScript(redis, "watchJob", [keys.job(id), keys.errors(id)], [flag ? "1" : "0"])) as WatchReply;
    if (!reply) return { done: true, error: new TaskqError("E_NOT_FOUND", `job ${id} of queue ${definition.queue} does not exist (or its record expired)`) };
    const [state, result, ...errors] = reply;
    if (state === "completed") {
      try {
        return { done: true, value: definition.result.decode(result ?? "null") ?? (undefined as R) };
      } catch (error) {
        return { done: true, error: error as Error };
      }
    }
    if (state === "dead" || state === "cancelled") {
      const attempts = errors.map((e) => JSON.parse(e) as AttemptError);
      return { done: true, error: new JobFailedError(id, state, attempts) };
    }
    return { done: false };
  };

  return {
    id,
    name: definition.name,
    queue: definition.queue,

    result({ timeoutMs } = {}) {
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
          read(true).then((r) => r.done && settle(r), (error: Error) => settle({ error }));
        };
        if (timeoutMs !== undefined) {
          timer = setTimeout(
            () => settle({ error: new TimeoutError(`job ${id} did not finish within ${timeoutMs} ms`) }),
            timeoutMs,
          );
        }
        waiter.listen(keys.events, id, check).then((unlisten) => {
          stop = unlisten;
          if (settled) unlisten();
          else check();
        }, (error: Error) => settle({ error }));
      });
    },

    async state() {
      const state = await redis.hget(keys.job(id), "s");
      return (state ?? undefined) as JobState | undefined;
    },

    async cancel() {
      const before = await runScript(redis, "cancel", [keys.delayed, keys.events, ...keys.wait], [keys.base, id, definition.keepResultMs]);
      return before === "waiting" || before === "delayed" || before === "blocked";
    },

    async setPriority(priority) {
      const state = await runScript(redis, "setPriority", [...keys.wait], [keys.base, id, priorityIndex(priority)]);
      return state === "waiting" || state === "delayed";
    },
  };
}
