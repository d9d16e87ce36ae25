/**
 * Serves one queue inside a Worker: leases up to `concurrency` jobs at a time, runs them, and reports
 * each outcome through the fenced scripts. While idle it blocks on the queue's marker (BZPOPMIN) on a
 * connection of its own, waking when a job is enqueued or, at the latest, when the next delayed job
 * comes due, so neither an idle worker nor a delayed job waits on a polling interval.
 *
 * This file keeps the slots (which jobs run, which fetches have slots promised); job-fetcher.ts asks
 * for jobs, job-executor.ts runs them and reports their outcomes, completion-batcher.ts sends the
 * completions in batches.
 */
import type { QueueRegistration } from "../definition.js";
import type { RedisClient } from "../redis/connection.js";
import { queueKeys, type QueueKeys } from "../redis/keys.js";
import type { LeasedJob } from "./leased-job.js";
import { LeaseLostAbort, ShutdownAbort, type Outcome } from "./run-job.js";
import { CompletionBatcher } from "./completion-batcher.js";
import { JobExecutor } from "./job-executor.js";
import { JobFetcher } from "./job-fetcher.js";
import { JobAbort } from "./job-abort.js";
import { ReplyClock } from "./reply-clock.js";
import { untilDeadline } from "./until-deadline.js";
import type { BudgetMember, SlotBudget } from "./slot-budget.js";
import type { Tracing } from "../tracing/tracing.js";

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
  /** Asks fetch-10.lua for jobs, and reads its replies. */
  private readonly fetcher: JobFetcher;
  /** Entries of `running` whose completion has landed (see `occupied`). */
  private settled = 0;
  /** Batches the completions, and hands their slots over to the fetch each call carries. */
  private readonly completions: CompletionBatcher;
  /** Runs the leased jobs and reports their outcomes, completions through `completions`. */
  private readonly executor: JobExecutor;

  constructor(
    queue: QueueRegistration,
    private readonly concurrency: number,
    private readonly redis: RedisClient,
    private readonly blocking: RedisClient,
    workerId: string,
    private readonly leaseMs: number,
    private readonly events: RunnerEvents,
    /** The shard this runner serves, and the budget its queue's shards share (see slot-budget.ts). */
    private readonly shard: { index: number; of: number; budget?: SlotBudget } = { index: 0, of: 1 },
    /** A `process` span per attempt when tracing is on (see tracing/consumer-spans.ts). */
    tracing?: Tracing,
  ) {
    this.keys = queueKeys(queue.prefix, queue.name, shard.index, shard.of);
    this.fetcher = new JobFetcher(queue, redis, this.keys, shard.index, workerId, leaseMs, (error) => this.events.error(error));
    this.completions = new CompletionBatcher(queue, concurrency, redis, this.fetcher.replies, {
      stopping: () => this.stopping,
      freeSlots: () => this.freeSlots(),
      holdsSlot: (id) => this.holdsSlot(id),
      reserve: (slots) => (this.reserved += slots),
      unreserve: (slots) => this.unreserve(slots),
      settle: (id) => this.settle(id),
      fetchInput: (count) => this.fetcher.fetchInput(count),
      take: (fetched, sentAt) => this.take(this.fetcher.parse(fetched).jobs, sentAt),
    });
    this.executor = new JobExecutor(queue, redis, this.keys, this.completions, events, tracing);
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
    this.executor.flushBatches();
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
        await this.fetcher.ready();
        const sentAt = Date.now();
        const reply = await this.fetcher.fetch(this.redis, free);
        failures = 0;
        const { nextDueInMs, jobs } = this.fetcher.parse(reply);
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
    const fetch = free > 0 ? this.fetcher.fetch(this.blocking, free) : Promise.resolve(undefined);
    try {
      const [blocked, fetched] = await Promise.allSettled([block, fetch]);
      const error = blocked.status === "rejected" ? (blocked.reason as Error) : fetched.status === "rejected" ? (fetched.reason as Error) : undefined;
      if (fetched.status === "fulfilled" && fetched.value) {
        const { jobs, nextDueInMs } = this.fetcher.parse(fetched.value);
        if (this.stopping) await this.executor.giveBack(jobs);
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
      void this.executor.giveBack(jobs);
      return false;
    }
    for (const job of jobs) this.run(job);
    return true;
  }

  private run(job: LeasedJob): void {
    const entry: Running = { job, abort: new JobAbort(), done: Promise.resolve(), settled: false };
    this.running.set(job.id, entry);
    entry.done = this.execute(entry);
  }

  /** Runs a job and reports its outcome; never rejects. Its slot is freed when this returns. */
  private async execute(entry: Running): Promise<void> {
    try {
      await this.executor.execute(entry.job, entry.abort);
    } finally {
      if (entry.settled) this.settled--;
      this.running.delete(entry.job.id);
      this.slotFreed?.();
      this.shard.budget?.released(this);
    }
  }
}
