/**
 * Serves one queue inside a Worker: leases up to `concurrency` jobs at a time, runs them, and reports
 * each outcome through the fenced scripts. While idle it blocks on the queue's marker (BZPOPMIN) on a
 * connection of its own, waking when a job is enqueued or, at the latest, when the next delayed job
 * comes due, so neither an idle worker nor a delayed job waits on a polling interval.
 */
import type { QueueRegistration } from "../definition.js";
import { DEFAULT_PRIORITY_WEIGHTS } from "../options.js";
import type { RedisClient } from "../redis/connection.js";
import { queueKeys, type QueueKeys } from "../redis/keys.js";
import { appendLog, failJob, fetchJobs, writeProgress, type FetchInput, type FetchReply, type ReplyMode } from "../store/index.js";
import { writesBinary } from "../payload/envelope.js";
import { lostPayloadBytes, withPayloadBytes } from "./payload-bytes.js";
import type { LeasedJob } from "./leased-job.js";
import { BrokenKeyReports } from "./broken-key-reports.js";
import { LeaseLostAbort, runJob, ShutdownAbort, type ContextSink, type Outcome } from "./run-job.js";
import { rateLimits } from "./rate-limits.js";
import { Batcher } from "./batcher.js";
import { CompletionBatcher } from "./completion-batcher.js";
import { JobAbort } from "./job-abort.js";
import { ReplyClock } from "./reply-clock.js";
import { untilDeadline } from "./until-deadline.js";
import { LeaseTokens } from "./lease-tokens.js";
import type { BatchHandler } from "./run-batch.js";
import type { BudgetMember, SlotBudget } from "./slot-budget.js";
import type { Tracing } from "../tracing/tracing.js";
import { traceAttempt } from "../tracing/consumer-spans.js";

export interface RunnerEvents {
  finished(job: LeasedJob, outcome: Outcome, accepted: boolean): void;
  error(error: Error): void;
}

interface Running {
  job: LeasedJob;
  abort: JobAbort;
  done: Promise<void>;
  /** Its completion landed; the entry goes once the job's last callbacks have run. */
  settled: boolean;
}

/** Longest single block on the marker; bounds how long a stop request can go unnoticed. */
const MAX_BLOCK_MS = 5_000;
/** After the shutdown deadline, how long aborted jobs get to reach the queue again (milliseconds when Redis answers). */
const GIVE_BACK_MS = 1_000;
const PROMOTE_LIMIT = 1_000;

export class QueueRunner implements BudgetMember {
  readonly keys: QueueKeys;
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private slotFreed: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private pendingBlock: Promise<number | undefined> | undefined;
  /** Slots promised to fetches in flight (the loop's, and those piggybacked on completions). */
  private reserved = 0;
  private readonly replyClock = new ReplyClock();
  private readonly tokens: LeaseTokens;
  /** Entries of `running` whose completion has landed (see `occupied`). */
  private settled = 0;
  private readonly batchers = new Map<string, Batcher>();
  /** Batches the completions, and hands their slots over to the fetch each call carries. */
  private readonly completions: CompletionBatcher;
  /** A fetch's weights and limits, fixed for the queue. */
  private readonly weights: string;
  private readonly limits: string;
  /** Text replies, unless the queue writes binary payloads (see redis/scripts.ts's ReplyMode). */
  private readonly replies: ReplyMode;
  private readonly brokenKeys: BrokenKeyReports;

  constructor(
    private readonly queue: QueueRegistration,
    private readonly concurrency: number,
    private readonly redis: RedisClient,
    private readonly blocking: RedisClient,
    private readonly workerId: string,
    private readonly leaseMs: number,
    private readonly events: RunnerEvents,
    /** The shard this runner serves, and the budget its queue's shards share (see slot-budget.ts). */
    private readonly shard: { index: number; of: number; budget?: SlotBudget } = { index: 0, of: 1 },
    /** A `process` span per attempt when tracing is on (see tracing/consumer-spans.ts). */
    private readonly tracing?: Tracing,
  ) {
    this.keys = queueKeys(queue.prefix, queue.name, shard.index, shard.of);
    this.tokens = new LeaseTokens(redis, this.keys, shard.index);
    this.brokenKeys = new BrokenKeyReports(queue.name, (error) => this.events.error(error));
    this.weights = queue.priorities === "strict" ? "" : (queue.priorities ?? DEFAULT_PRIORITY_WEIGHTS).join(",");
    this.limits = rateLimits(queue);
    this.replies = Object.values(queue.jobs).some(({ definition }) => writesBinary(definition.queue)) ? "binary-payloads" : "text";
    this.completions = new CompletionBatcher(queue, concurrency, redis, this.replies, {
      stopping: () => this.stopping,
      freeSlots: () => this.freeSlots(),
      holdsSlot: (id) => this.holdsSlot(id),
      reserve: (slots) => (this.reserved += slots),
      unreserve: (slots) => this.unreserve(slots),
      settle: (id) => this.settle(id),
      fetchInput: (count) => this.fetchInput(count),
      take: (fetched, sentAt) => this.take(this.parse(fetched).jobs, sentAt),
    });
    for (const [name, { definition, handler, backoff }] of Object.entries(queue.jobs)) {
      if (definition.batch)
        this.batchers.set(name, new Batcher(definition, handler as unknown as BatchHandler, queue.name, (id, message) => this.log(id, message), backoff));
    }
  }

  start(): void {
    this.loop ??= this.fetchLoop();
  }

  /** Ids and lease tokens of the running jobs, for the heartbeat. */
  leases(): Array<[string, string]> {
    return [...this.running.values()].map(({ job }) => [job.id, job.token]);
  }

  /** Aborts jobs whose lease another process took back: their outcome would be refused anyway. */
  abortLost(ids: string[]): void {
    for (const id of ids) this.running.get(id)?.abort.abort(new LeaseLostAbort());
  }

  get busy(): number {
    return this.running.size;
  }

  get held(): number {
    return this.occupied + this.reserved;
  }

  /**
   * @internal The slot counters, read by queue-runner.test.ts and nothing else: entries of running jobs
   * (`running`), those of them whose completion landed (`settled`), and slots promised to fetches in
   * flight (`reserved`). A copy: the runner's accounting cannot be changed through it.
   */
  get slots(): { running: number; settled: number; reserved: number } {
    return { running: this.running.size, settled: this.settled, reserved: this.reserved };
  }

  get waiting(): boolean {
    return this.slotFreed !== undefined;
  }

  wake(): void {
    this.slotFreed?.();
  }

  /** Slots free to fetch into: of this runner's concurrency, or of its queue's shared budget. */
  private freeSlots(): number {
    return this.shard.budget ? this.shard.budget.free(this) : this.concurrency - this.occupied - this.reserved;
  }

  /**
   * Slots taken by running jobs. A job whose completion landed no longer takes one, though its entry
   * stays until its last callbacks ran: the next job, leased by that same completion, may well finish
   * first, and its completion must then lease a job for the slot rather than leave it to a fetch.
   * Nor does one whose completion call is in flight, for the slots that call's fetch reserved.
   */
  private get occupied(): number {
    return this.running.size - this.settled - this.completions.handedOver;
  }

  /** True while job `id` runs here and its completion has not landed: it holds a slot. */
  private holdsSlot(id: string): boolean {
    const entry = this.running.get(id);
    return entry !== undefined && !entry.settled;
  }

  /** Job `id`'s completion landed: its entry stays until its last callbacks ran, but holds no slot (see `occupied`). */
  private settle(id: string): void {
    if (!this.holdsSlot(id)) return;
    this.running.get(id)!.settled = true;
    this.settled++;
  }

  private unreserve(slots: number): void {
    this.reserved -= slots;
    this.shard.budget?.released(this);
  }

  /**
   * Stops fetching; waits for running jobs until `deadline`, then aborts the rest, which go back to
   * the queue, given `giveBackMs` more to get there while Redis answers. Every wait is bounded, so a stop during an outage
   * of Redis ends on time too: a fetch still waiting for Redis is dropped with the connection (it
   * was never sent, or leases jobs that are reclaimed), and a job whose outcome cannot be written
   * keeps its lease until it expires, then runs again.
   */
  async stop(deadline: number, giveBackMs = GIVE_BACK_MS): Promise<void> {
    this.stopping = true;
    this.slotFreed?.();
    this.blocking.disconnect();
    await untilDeadline(this.loop, deadline);
    for (const batcher of this.batchers.values()) batcher.flush();
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    if (await untilDeadline(all, deadline)) return;
    for (const r of this.running.values()) r.abort.abort(new ShutdownAbort());
    if (this.redis.status === "ready") await untilDeadline(all, Math.max(deadline, Date.now()) + giveBackMs);
  }

  private async fetchLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const free = this.freeSlots();
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        this.slotFreed = undefined;
        continue;
      }
      this.reserved += free;
      try {
        await this.tokens.ready();
        const sentAt = Date.now();
        const reply = await this.fetch(this.redis, free);
        failures = 0;
        const { nextDueInMs, jobs } = this.parse(reply);
        this.take(jobs, sentAt);
        this.unreserve(free);
        // While the fetches queued behind the blocking reads find the lists empty, the worker goes on
        // waiting with what they say of the next due job, without a fetch of its own in between.
        let next: number | undefined = jobs.length === 0 ? nextDueInMs : undefined;
        while (next !== undefined && !this.stopping) next = await this.idle(next);
      } catch (error) {
        this.unreserve(free);
        if (this.stopping) break;
        this.events.error(error as Error);
        failures++;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** failures)));
      }
    }
  }

  /** A fetch reply, its broken key (if any) reported. */
  private parse(reply: FetchReply): FetchReply {
    if (reply.broken) this.brokenKeys.note(reply.broken);
    return reply;
  }

  /** Leases up to `count` jobs, on `client` (the blocking connection queues it behind its read). */
  private fetch(client: RedisClient, count: number): Promise<FetchReply> {
    return fetchJobs(client, this.fetchInput(count), this.replies);
  }

  /** A fetch of up to `count` jobs, alone or with a batch of completions; each takes a token of its own. */
  private fetchInput(count: number): FetchInput {
    const { keys, workerId, leaseMs, weights, limits } = this;
    return { keys, workerId, leaseMs, count, promoteLimit: PROMOTE_LIMIT, weights, limits, token: this.tokens.next() };
  }

  /**
   * Waits for work: a marker (a job was enqueued or given back) or the next delayed job's due time.
   *
   * The fetch that follows a wake-up is sent with the blocking read, right behind it on the same
   * connection: Redis runs it the moment the read returns, so a job enqueued into an idle queue
   * reaches its handler one round trip after the enqueue instead of two. Its slots stay reserved
   * until its reply is in.
   *
   * Redis checks blocking timeouts only about every 100 ms, too coarse for a due job, so the due time
   * is a local timer; when it fires first, the worker sets the marker itself, which wakes a blocked
   * read (this one, or another idle worker's, whose fetch then promotes the job just the same).
   */
  private async idle(nextDueInMs: number): Promise<number | undefined> {
    if (nextDueInMs === 0) return undefined;
    this.pendingBlock ??= this.blockThenFetch().finally(() => (this.pendingBlock = undefined));
    const block = this.pendingBlock;
    let timer: NodeJS.Timeout | undefined;
    const due =
      nextDueInMs > 0 && nextDueInMs < MAX_BLOCK_MS ? new Promise<"due">((resolve) => (timer = setTimeout(() => resolve("due"), nextDueInMs))) : undefined;
    try {
      if (due && (await Promise.race([block, due])) === "due" && !this.stopping) {
        await this.redis.zadd(this.keys.marker, 0, "0");
      }
      return await block;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * BZPOPMIN on the marker with a fetch queued behind it (see `idle`); runs the jobs it leased.
   * Returns the fetch's next due time when it took fewer jobs than it could (the lists were empty), so
   * the caller may wait again at once; undefined when the caller should fetch.
   */
  private async blockThenFetch(): Promise<number | undefined> {
    const free = Math.max(0, this.freeSlots());
    this.reserved += free;
    const sentAt = Date.now();
    const block = this.blocking.bzpopmin(this.keys.marker, MAX_BLOCK_MS / 1000);
    const fetch = free > 0 ? this.fetch(this.blocking, free) : Promise.resolve(undefined);
    try {
      const [blocked, fetched] = await Promise.allSettled([block, fetch]);
      const error = blocked.status === "rejected" ? (blocked.reason as Error) : fetched.status === "rejected" ? (fetched.reason as Error) : undefined;
      if (fetched.status === "fulfilled" && fetched.value) {
        const { jobs, nextDueInMs } = this.parse(fetched.value);
        if (this.stopping) await this.giveBack(jobs);
        else if (this.take(jobs, sentAt) && !error && jobs.length < free) return nextDueInMs;
      }
      if (error && !this.stopping) throw error;
      return undefined;
    } finally {
      this.unreserve(free);
    }
  }

  /**
   * Runs the jobs a reply leased, unless the reply is stale (see reply-clock.ts): those go back to the
   * queue (refused, harmlessly, if the lease is gone). Returns false when it gave the jobs back.
   */
  private take(jobs: LeasedJob[], sentAt: number): boolean {
    if (jobs.length === 0) return true;
    const staleMs = this.replyClock.age(jobs[0].startedAt, sentAt);
    if (staleMs > this.leaseMs / 2) {
      this.events.error(
        new Error(
          `${jobs.length} job(s) leased ${staleMs} ms before this worker saw them (was it paused?): given back to the queue rather than run on a lease that may be gone`,
        ),
      );
      void this.giveBack(jobs);
      return false;
    }
    for (const job of jobs) this.run(job);
    return true;
  }

  /** Jobs leased but never started (the worker is stopping, or the reply was stale): back to their queue, their attempt not counted. */
  private async giveBack(jobs: LeasedJob[]): Promise<void> {
    await Promise.all(jobs.map((job) => this.fail(job, "release", "", 0).catch((error: Error) => this.events.error(error))));
  }

  private run(job: LeasedJob): void {
    const entry: Running = { job, abort: new JobAbort(), done: Promise.resolve(), settled: false };
    this.running.set(job.id, entry);
    entry.done = this.execute(entry);
  }

  /** Runs a job and reports its outcome; never rejects. Its slot is freed when this returns. */
  private async execute(entry: Running): Promise<void> {
    try {
      let job = entry.job;
      if (lostPayloadBytes(job)) {
        try {
          job = await withPayloadBytes(this.redis, this.keys.base, job);
        } catch (error) {
          // Not reported: the job's lease runs out and it is reclaimed, rather than dead for a Redis hiccup.
          return this.events.error(error as Error);
        }
      }
      const outcome = this.tracing ? await traceAttempt(this.tracing, this.queue.name, job, () => this.attempt(job, entry)) : await this.attempt(job, entry);
      try {
        const accepted = await this.report(job, outcome);
        this.events.finished(job, outcome, accepted);
      } catch (error) {
        // The lease still holds the job: if this report never lands, it is reclaimed and run again.
        this.events.error(error as Error);
      }
    } finally {
      if (entry.settled) this.settled--;
      this.running.delete(entry.job.id);
      this.slotFreed?.();
      this.shard.budget?.released(this);
    }
  }

  /** One run of a job: through its batcher when its type takes batches, else alone. */
  private attempt(job: LeasedJob, entry: Running): Promise<Outcome> {
    const batcher = this.batchers.get(job.name);
    return batcher ? batcher.add(job, entry.abort) : runJob({ job, queue: this.queue, abort: entry.abort, context: this.contextSink, now: Date.now });
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
