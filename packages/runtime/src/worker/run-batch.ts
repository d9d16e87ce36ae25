/**
 * Runs one batch of leased jobs of the same name through a batch handler and gives each job its own
 * outcome: a payload stored at an older version goes up its upgrade chain first; one that does not
 * decode is dead-lettered alone and left out of the batch; the
 * handler returns one entry per payload, a result or an Error for that item alone (retried or
 * dead-lettered by the usual rules); a throw or a timeout fails every item of the batch.
 */
import type { BatchContext } from "../context.js";
import type { JobDefinition } from "../definition.js";
import type { BackoffFunction } from "../options.js";
import { DecodeError, PermanentError, TimeoutError } from "../errors.js";
import type { LeasedJob } from "./leased-job.js";
import { aborted, dead, failed, type Outcome } from "./run-job.js";
import { upgradePayload } from "./upgrade-payload.js";

export type BatchHandler = (payloads: unknown[], ctx: BatchContext) => Promise<unknown[]> | unknown[];

export interface BatchInput {
  jobs: LeasedJob[];
  definition: JobDefinition<any, any>;
  handler: BatchHandler;
  /** The job's custom backoff function, when its backoff is `{ type: "custom" }`. */
  backoff?: BackoffFunction;
  queue: string;
  controller: AbortController;
  log: (message: string) => Promise<void>;
  now: () => number;
}

export async function runBatch({ jobs, definition, handler, backoff, queue, controller, log, now }: BatchInput): Promise<Outcome[]> {
  const outcomes = new Array<Outcome>(jobs.length);
  const members: number[] = [];
  const payloads: unknown[] = [];
  for (const [i, job] of jobs.entries()) {
    try {
      payloads.push(job.version === definition.version ? definition.payload.decode(job.payload) : await upgradePayload(definition, job.payload, job.version));
      members.push(i);
    } catch (error) {
      outcomes[i] = dead(job, new DecodeError(`payload of ${job.name} does not decode: ${(error as Error).message}`, [], { cause: error }), now);
    }
  }
  if (members.length === 0) return outcomes;

  const timeoutMs = definition.timeoutMs;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new TimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const ctx: BatchContext = {
    ids: members.map((i) => jobs[i].id),
    attempts: members.map((i) => jobs[i].attempt),
    name: definition.name,
    queue,
    signal: controller.signal,
    log,
  };
  try {
    const results = await Promise.race([Promise.resolve().then(() => handler(payloads, ctx)), aborted(controller.signal)]);
    if (!Array.isArray(results) || results.length !== members.length) {
      const got = Array.isArray(results) ? `${results.length} entries` : typeof results;
      throw new PermanentError(`batch handler of ${definition.name} must return one entry per payload (${members.length}), got ${got}`);
    }
    members.forEach((i, k) => (outcomes[i] = itemOutcome(jobs[i], results[k], definition, now, backoff)));
  } catch (thrown) {
    const error = controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason : thrown;
    for (const i of members) outcomes[i] = failed(jobs[i], error, definition.backoff, now, backoff);
  } finally {
    if (timer) clearTimeout(timer);
  }
  return outcomes;
}

function itemOutcome(job: LeasedJob, value: unknown, definition: JobDefinition<any, any>, now: () => number, backoff?: BackoffFunction): Outcome {
  if (value instanceof Error) return failed(job, value, definition.backoff, now, backoff);
  try {
    return { kind: "completed", result: definition.result.encode(value === undefined ? null : value, `result of ${job.name}`), value };
  } catch (error) {
    return dead(job, new PermanentError(`batch handler returned an invalid result: ${(error as Error).message}`, { cause: error }), now);
  }
}
