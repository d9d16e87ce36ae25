/**
 * Runs the jobs a queue runner leased, one attempt each, and reports each outcome through the fenced
 * scripts: a completion through the runner's CompletionBatcher, a retry, dead-letter or release on
 * its own. The runner keeps the slots; a job's slot is freed when `execute` returns.
 */
import type { QueueRegistration } from "../definition.js";
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { appendLog, failJob, writeProgress } from "../store/index.js";
import { lostPayloadBytes, withPayloadBytes } from "./payload-bytes.js";
import type { LeasedJob } from "./leased-job.js";
import { LeaseLostAbort, runJob, ShutdownAbort, type ContextSink, type Outcome } from "./run-job.js";
import { Batcher } from "./batcher.js";
import type { CompletionBatcher } from "./completion-batcher.js";
import type { JobAbort } from "./job-abort.js";
import type { BatchHandler } from "./run-batch.js";
import type { RunnerEvents } from "./queue-runner.js";
import type { Tracing } from "../tracing/tracing.js";
import { traceAttempt } from "../tracing/consumer-spans.js";

export class JobExecutor {
  private readonly batchers = new Map<string, Batcher>();

  constructor(
    private readonly queue: QueueRegistration,
    private readonly redis: RedisClient,
    private readonly keys: QueueKeys,
    private readonly completions: CompletionBatcher,
    private readonly events: RunnerEvents,
    /** A `process` span per attempt when tracing is on (see tracing/consumer-spans.ts). */
    private readonly tracing?: Tracing,
  ) {
    for (const [name, { definition, handler, backoff }] of Object.entries(queue.jobs)) {
      if (definition.batch)
        this.batchers.set(name, new Batcher(definition, handler as unknown as BatchHandler, queue.name, (id, message) => this.log(id, message), backoff));
    }
  }

  /** Runs a job and reports its outcome. */
  async execute(job: LeasedJob, abort: JobAbort): Promise<void> {
    if (lostPayloadBytes(job)) {
      try {
        job = await withPayloadBytes(this.redis, this.keys.base, job);
      } catch (error) {
        // Not reported: the job's lease runs out and it is reclaimed, rather than dead for a Redis hiccup.
        return this.events.error(error as Error);
      }
    }
    const outcome = this.tracing ? await traceAttempt(this.tracing, this.queue.name, job, () => this.attempt(job, abort)) : await this.attempt(job, abort);
    try {
      const accepted = await this.report(job, outcome);
      this.events.finished(job, outcome, accepted);
    } catch (error) {
      // The lease still holds the job: if this report never lands, it is reclaimed and run again.
      this.events.error(error as Error);
    }
  }

  /** Runs the batches waiting now (at shutdown, so nothing is left holding a slot). */
  flushBatches(): void {
    for (const batcher of this.batchers.values()) batcher.flush();
  }

  /** Jobs leased but never started (the worker is stopping, or the reply was stale): back to their queue, their attempt not counted. */
  async giveBack(jobs: LeasedJob[]): Promise<void> {
    await Promise.all(jobs.map((job) => this.fail(job, "release", "", 0).catch((error: Error) => this.events.error(error))));
  }

  /** One run of a job: through its batcher when its type takes batches, else alone. */
  private attempt(job: LeasedJob, abort: JobAbort): Promise<Outcome> {
    const batcher = this.batchers.get(job.name);
    return batcher ? batcher.add(job, abort) : runJob({ job, queue: this.queue, abort, context: this.contextSink, now: Date.now });
  }

  /** What a handler's `ctx.log` and `ctx.progress` call, made once rather than per job. */
  private readonly contextSink: ContextSink = {
    log: (id, message) => this.log(id, message),
    progress: (id, value) => writeProgress(this.redis, this.keys, id, value),
  };

  private report(job: LeasedJob, outcome: Outcome): Promise<boolean> {
    if (outcome.kind === "completed") return this.completions.complete(job, outcome.result);
    const error = outcome.cause instanceof ShutdownAbort || outcome.cause instanceof LeaseLostAbort ? "" : JSON.stringify(outcome.error);
    return this.fail(job, outcome.kind, error, outcome.delayMs);
  }

  /** Retries, dead-letters or releases a leased job; false when its lease was lost. */
  private fail(job: LeasedJob, mode: "retry" | "dead" | "release", error: string, delayMs: number): Promise<boolean> {
    return failJob(this.redis, { keys: this.keys, id: job.id, token: job.token, mode, error, delayMs });
  }

  private log(id: string, message: string): Promise<void> {
    return appendLog(this.redis, this.keys, id, message);
  }
}
