/**
 * A queue runner's completions, sent to Redis in batches: completions of one moment go together, in
 * one call (complete-12.lua) that also leases the jobs filling the slots they free, with at most
 * COMPLETION_CALLS_IN_FLIGHT calls out at once. The slots stay the runner's; this sees them only
 * through {@link CompletionSlots}. (Not to be confused with batcher.ts: jobs of a batched type, run
 * together by one handler call.)
 */
import { jobOfQueue, type QueueRegistration } from "../definition.js";
import { DEFAULT_JOB_OPTIONS } from "../options.js";
import type { RedisClient } from "../redis/connection.js";
import { completeJobs, type FetchInput, type FetchReply, type ReplyMode } from "../store/index.js";
import type { LeasedJob } from "./leased-job.js";

/**
 * Completion calls in flight at once. While that many are out, finished jobs wait for the first reply
 * and go together in the next call: when Redis is the bottleneck the batches grow by themselves (the
 * per-call cost is paid by more jobs) instead of queueing more calls in Redis's socket, which would
 * run no sooner. Two, so Redis runs one batch's script while this process runs the jobs another
 * batch leased: the two overlap instead of taking turns.
 */
const COMPLETION_CALLS_IN_FLIGHT = 2;
/**
 * Completions per call, at most: half the concurrency, so the slots form two batches that take turns
 * (one in Redis, one running here) even at concurrency 10, where one batch of all ten would leave
 * Redis and this process waiting on each other. Bounded so a call stays short for other clients.
 */
const MAX_COMPLETION_BATCH = 500;

/** What the batcher sees of its runner (QueueRunner hands it one): its slot counters, and the fetch a call carries. */
export interface CompletionSlots {
  /** True once the runner stops fetching: a call then leases nothing. */
  stopping(): boolean;
  /** Slots free to fetch into (below 0 when the runner holds more than it may, see slot-budget.ts). */
  freeSlots(): number;
  /** True while job `id` runs and its completion has not landed: it holds a slot. */
  holdsSlot(id: string): boolean;
  /** Promises `slots` to a call's fetch, until `unreserve` gives them back. */
  reserve(slots: number): void;
  unreserve(slots: number): void;
  /** Job `id`'s completion landed: it holds no slot from now on, if it held one. */
  settle(id: string): void;
  /** The fetch of up to `count` jobs a call carries. */
  fetchInput(count: number): FetchInput;
  /** Runs the jobs a call's fetch leased, sent at `sentAt`. */
  take(fetched: FetchReply, sentAt: number): void;
}

export class CompletionBatcher {
  private readonly completions: Array<{
    job: LeasedJob;
    result: string;
    keepResultMs: number;
    resolve: (accepted: boolean) => void;
    reject: (error: Error) => void;
  }> = [];
  private readonly completionBatch: number;
  /** Completion calls sent and not yet answered (see COMPLETION_CALLS_IN_FLIGHT). */
  private completionCalls = 0;
  private flushScheduled = false;
  /** See `handedOver`. */
  private handedOverJobs = 0;

  constructor(
    private readonly queue: QueueRegistration,
    private readonly concurrency: number,
    private readonly redis: RedisClient,
    /** Text replies, unless the queue writes binary payloads (see redis/scripts.ts's ReplyMode). */
    private readonly replies: ReplyMode,
    private readonly slots: CompletionSlots,
  ) {
    this.completionBatch = Math.min(MAX_COMPLETION_BATCH, Math.ceil(concurrency / COMPLETION_CALLS_IN_FLIGHT));
  }

  /** Jobs in a completion call in flight whose slots that call's fetch has reserved (see QueueRunner's `occupied`). */
  get handedOver(): number {
    return this.handedOverJobs;
  }

  /**
   * Completes a job. Completions of one moment (one turn of the event loop) go to Redis together, in
   * one call that also leases the jobs filling the slots they free: a busy worker makes one round
   * trip per batch rather than two per job.
   */
  complete(job: LeasedJob, result: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const keepResultMs = jobOfQueue(this.queue, job.name)?.definition.keepResultMs ?? DEFAULT_JOB_OPTIONS.keepResultMs;
      this.completions.push({ job, result, keepResultMs, resolve, reject });
      // Alone (concurrency 1) there is nothing to wait for; otherwise let the moment's I/O land first.
      if (this.concurrency === 1) void this.flushCompletions();
      else this.scheduleFlush();
    });
  }

  /** A flush at the end of this moment, unless one is due already or the calls in flight will send these when they land. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.completions.length === 0 || this.completionCalls >= COMPLETION_CALLS_IN_FLIGHT) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flushCompletions();
    });
  }

  private async flushCompletions(): Promise<void> {
    const batch = this.completions.splice(0, this.completionBatch);
    if (batch.length === 0) return;
    this.completionCalls++;
    this.scheduleFlush();
    // The finished jobs hold their slots until their completion lands, but the fetch it carries
    // reserves them (and any free ones): they are handed over to that reservation, or a second call
    // sent meanwhile would count them twice and lease too few, leaving slots to a fetch of their own.
    // Only the batch's jobs that still hold a slot count (one no longer running holds none).
    const holding = batch.filter(({ job }) => this.slots.holdsSlot(job.id)).length;
    const want = this.slots.stopping() ? 0 : Math.max(0, this.slots.freeSlots() + holding);
    let handed = Math.min(holding, want);
    this.slots.reserve(want);
    this.handedOverJobs += handed;
    try {
      const sentAt = Date.now();
      const { accepted, fetched } = await completeJobs(this.redis, this.slots.fetchInput(want), batch, this.replies);
      this.handedOverJobs -= handed;
      handed = 0;
      for (const { job } of batch) this.slots.settle(job.id);
      this.slots.take(fetched, sentAt);
      batch.forEach((c, i) => c.resolve(accepted[i]));
    } catch (error) {
      for (const c of batch) c.reject(error as Error);
    } finally {
      this.handedOverJobs -= handed;
      this.slots.unreserve(want);
      this.completionCalls--;
      this.scheduleFlush();
    }
  }
}
