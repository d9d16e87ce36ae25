import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { assertJobDefinition, type QueueRegistration } from "../definition.js";
import { queueLabel } from "../queue-definition.js";
import { connect, duplicate, type OwnedConnection, type RedisClient } from "../redis/connection.js";
import { watchConnectionState, type ConnectionChange } from "../redis/connection-state.js";
import { ConfigError } from "../errors.js";
import { assertName } from "../redis/keys.js";
import { TaskManager } from "../task-manager/task-manager.js";
import type { LeasedJob } from "./leased-job.js";
import { QueueRunner } from "./queue-runner.js";
import { queueShards } from "./queue-shards.js";
import { SlotBudget } from "./slot-budget.js";
import { shardIndexes } from "../redis/shards.js";
import { ThreadPool } from "./thread-pool.js";
import { applyMiddleware } from "../middleware/apply-middleware.js";
import type { Outcome } from "./run-job.js";
import { untilDeadline } from "./until-deadline.js";
import { resolveTracing } from "../tracing/tracing.js";
import { WorkerHeartbeat } from "./worker-heartbeat.js";
import type { WorkerOptions } from "./worker-options.js";
import type { JobCompletedEvent, JobEvent, JobFailedEvent } from "./worker-events.js";

export type { WorkerOptions } from "./worker-options.js";
export type { JobEvent, JobCompletedEvent, JobFailedEvent, FailedOutcome } from "./worker-events.js";

// The events a worker emits, typed (merged into the class below, whose comment is the one hover shows).
export interface Worker {
  /** A job's handler returned and its result was stored; `result` is the decoded value it returned. */
  on(event: "completed", listener: (e: JobCompletedEvent) => void): this;
  /**
   * An attempt failed: `error.kind` says what became of the job (`retry` later, `dead`-lettered, or
   * `release`d back without counting the attempt, on a `RateLimitError` or a shutdown), with the
   * attempt's error.
   */
  on(event: "failed", listener: (e: JobFailedEvent) => void): this;
  /**
   * The job ran but its outcome was refused: its lease had expired and the job was reclaimed (it runs
   * again elsewhere), so nothing this run did to it was recorded.
   */
  on(event: "lost", listener: (e: JobEvent) => void): this;
  /** An error outside any job (a lost connection, a failed heartbeat); the worker keeps going. */
  on(event: "error", listener: (error: Error) => void): this;
  /** The connection to Redis was lost or is back: once per change, not once per reconnect attempt. */
  on(event: "connection", listener: (change: ConnectionChange) => void): this;
}

/** How long a stopping worker waits to take itself off the worker list, when Redis answers. */
const DEREGISTER_MS = 500;

/**
 * A worker process's engine: serves one or more queues, heartbeats the leases of the jobs it runs,
 * and, by default, runs a TaskManager in-process so a lone worker also recovers its dead peers' jobs.
 *
 * Start order: connections → queue runners → heartbeat → task manager. `close()` stops them in
 * reverse: task manager, fetching, running jobs (up to shutdownTimeoutMs, then aborted and given back
 * to the queue), heartbeat, connections.
 */
export class Worker extends EventEmitter {
  /** `<host>:<pid>:<random>`: unique per worker, as {@link Monitor.listWorkers} reports it. */
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly connection: OwnedConnection;
  private readonly runners: QueueRunner[];
  private readonly blocking: RedisClient[] = [];
  private readonly pools: ThreadPool[] = [];
  private readonly taskManager: TaskManager | undefined;
  private readonly leaseMs: number;
  private readonly heartbeat: WorkerHeartbeat;
  private readonly stopWatching: () => void;
  private started = false;
  private readonly startedAt = Date.now();
  private closing: Promise<void> | undefined;
  private readonly onSignal = () => void this.close();

  constructor(private readonly options: WorkerOptions) {
    super();
    if (options.queues.length === 0) throw new ConfigError("a worker needs at least one queue");
    for (const q of options.queues) {
      assertName("queue", q.name);
      assertName("prefix", q.prefix);
      for (const { definition } of Object.values(q.jobs)) assertJobDefinition(definition);
    }
    const deadAfterMs = options.deadAfterMs ?? 10_000;
    const heartbeatMs = options.heartbeatMs ?? Math.min(1_000, Math.floor(deadAfterMs / 4));
    if (heartbeatMs <= 0 || heartbeatMs >= deadAfterMs) {
      throw new ConfigError(`heartbeatMs (${heartbeatMs}) must be positive and below deadAfterMs (${deadAfterMs})`);
    }
    this.leaseMs = deadAfterMs - heartbeatMs;
    const tracing = resolveTracing(options.tracing);
    // Commands wait through a reconnect instead of failing: a completion must not be dropped.
    this.connection = connect(options.connection, { maxRetriesPerRequest: null });
    this.stopWatching = watchConnectionState(this.connection.client, (change) => this.emit("connection", change));
    const queues = applyMiddleware(options.queues, options.middleware ?? []);
    // One runner per shard of each queue (one for an unsharded queue); a queue's shards share its concurrency.
    this.runners = queues.flatMap((declared) => {
      const queue = this.withPool(declared);
      const concurrency = options.concurrency ?? queue.concurrency;
      const shards = queueShards(queue);
      const budget = shards > 1 ? new SlotBudget(concurrency) : undefined;
      return shardIndexes(shards).map((index) => {
        // A blocked BZPOPMIN keeps its socket half-open on disconnect; do not wait long for it to close.
        const blocking = duplicate(this.connection.client, { maxRetriesPerRequest: null, disconnectTimeout: 20 });
        this.blocking.push(blocking);
        const runner = new QueueRunner(
          queue,
          concurrency,
          this.connection.client,
          blocking,
          this.id,
          this.leaseMs,
          {
            finished: (job, outcome, accepted) => this.finished(queue.name, job, outcome, accepted),
            error: (error) => this.report(error),
          },
          { index, of: shards, budget },
          tracing,
        );
        budget?.join(runner);
        return runner;
      });
    });
    this.heartbeat = new WorkerHeartbeat(
      this.connection.client,
      this.id,
      this.leaseMs,
      heartbeatMs,
      this.runners,
      () => this.info(),
      (error) => this.report(error),
    );
    if (options.taskManager !== false) {
      this.taskManager = new TaskManager({
        connection: this.connection.client,
        queues: options.queues.map((q) => ({ name: q.name, prefix: q.prefix, shards: queueShards(q) })),
        graceMs: deadAfterMs,
        onError: (error) => this.report(error),
      });
    }
    if (options.autostart !== false) this.start();
  }

  /** Starts fetching, heartbeats and the task manager; called by the constructor unless `autostart: false`. */
  start(): void {
    if (this.started || this.closing) return;
    this.started = true;
    for (const runner of this.runners) runner.start();
    this.heartbeat.start();
    this.taskManager?.start();
    if (this.options.handleSignals) {
      process.once("SIGTERM", this.onSignal);
      process.once("SIGINT", this.onSignal);
    }
  }

  /** The ioredis client this worker's commands use (not its blocking fetch connections). */
  get redis(): RedisClient {
    return this.connection.client;
  }

  /** The queues this worker serves, as it was given them (before middleware and thread pools). */
  get queues(): readonly QueueRegistration[] {
    return this.options.queues;
  }

  /** True once `start()` ran (by the constructor, unless `autostart: false`). */
  get isStarted(): boolean {
    return this.started;
  }

  /** Jobs running now, across queues. */
  get busy(): number {
    return this.runners.reduce((n, r) => n + r.busy, 0);
  }

  /**
   * Stops gracefully, in reverse start order: running jobs get `shutdownTimeoutMs` to finish, then are
   * aborted and given back to the queue. Every call returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    process.off("SIGTERM", this.onSignal);
    process.off("SIGINT", this.onSignal);
    const redis = this.connection.client;
    // With Redis away and nothing running there is nothing to wait for: a fetch still queued for
    // Redis was never sent, and goes with the connection.
    const waitMs = this.busy === 0 && redis.status !== "ready" ? 0 : (this.options.shutdownTimeoutMs ?? 10_000);
    const deadline = Date.now() + waitMs;
    await this.taskManager?.stop(deadline);
    await Promise.all(this.runners.map((r) => r.stop(deadline)));
    await Promise.all(this.pools.map((pool) => pool.close()));
    this.heartbeat.stop();
    // Without a deregistration the Monitor shows this worker dead after deadAfterMs: no harm done.
    if (redis.status === "ready") await untilDeadline(this.heartbeat.deregister(), Math.max(deadline, Date.now() + DEREGISTER_MS));
    this.stopWatching();
    for (const b of this.blocking) b.disconnect();
    if (!this.connection.owned) return;
    // QUIT bounded too: a Redis that accepts connections but does not answer (paused) must not hold the stop.
    if (redis.status === "ready") await untilDeadline(redis.quit(), Date.now() + DEREGISTER_MS);
    // Commands still queued for Redis are dropped: each is a fetch never sent, or an outcome whose job
    // is reclaimed when its lease expires.
    redis.disconnect();
  }

  /** The queue with its handlers moved into a thread pool, when it asks for one. */
  private withPool(queue: QueueRegistration): QueueRegistration {
    if (!queue.pool) return queue;
    const pool = new ThreadPool(queue.pool, this.options.concurrency ?? queue.concurrency);
    this.pools.push(pool);
    const jobs = Object.fromEntries(Object.entries(queue.jobs).map(([name, job]) => [name, { ...job, handler: pool.handler(name) }]));
    return { ...queue, jobs };
  }

  /** What the Monitor shows of this worker. */
  private info(): string {
    return JSON.stringify({
      id: this.id,
      host: hostname(),
      pid: process.pid,
      // By label (prefix:name outside the default prefix): `mail` under two prefixes is two queues.
      queues: this.options.queues.map((q) => queueLabel(q)),
      concurrency: Object.fromEntries(this.options.queues.map((q) => [queueLabel(q), this.options.concurrency ?? q.concurrency])),
      startedAt: this.startedAt,
    });
  }

  private finished(queue: string, job: LeasedJob, outcome: Outcome, accepted: boolean): void {
    if (!accepted) this.emit("lost", { queue, job });
    else if (outcome.kind === "completed") this.emit("completed", { queue, job, result: outcome.value });
    else this.emit("failed", { queue, job, error: outcome });
  }

  private report(error: Error): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }
}
