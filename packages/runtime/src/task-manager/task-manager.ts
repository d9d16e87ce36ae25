/**
 * Puts back to work what no worker will finish: jobs whose lease expired because their worker died
 * or stopped heartbeating. Any number of TaskManagers may run against the same queues; the reclaim
 * script moves each job exactly once, so they need no leader. Each pass learns when the next lease
 * expires and comes back right then (at most `intervalMs` later), so a dead worker's jobs are back in
 * the queue the moment its lease runs out. It also fires due schedules, each tick once however many
 * TaskManagers run. Due delayed jobs are promoted by the workers' own fetches.
 */
import { connect, type ConnectionOptions, type OwnedConnection, type RedisClient } from "../redis/connection.js";
import { assertName, queueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";
import { ScheduleStore } from "../scheduler/schedule-store.js";
import { assertShards, shardIndexes } from "../redis/shards.js";

export interface TaskManagerOptions {
  connection?: ConnectionOptions | RedisClient;
  /** The queues to look after, with their key prefix and number of shards (Default: 1); every shard is looked after. */
  queues: Array<{ name: string; prefix?: string; shards?: number }>;
  /** After an outage of Redis, how long live workers get to heartbeat again before anything is taken back. (Default: 10 000 ms) */
  graceMs?: number;
  /**
   * Longest wait between two passes. (Default: 1 000 ms, or a quarter of graceMs when that is less:
   * the queue's clock takes a longer silence than graceMs for an outage of Redis, so a TaskManager
   * running alone must come back sooner than that)
   */
  intervalMs?: number;
  /** Called with each error; the manager keeps going. (Default: none) */
  onError?: (error: Error) => void;
  /** Called with the number of jobs taken back from a queue, when it is not zero. */
  onReclaimed?: (queue: string, count: number) => void;
}

const BATCH = 1_000;

export class TaskManager {
  private readonly connection: OwnedConnection;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pass: Promise<void> | undefined;

  private readonly intervalMs: number;

  constructor(private readonly options: TaskManagerOptions) {
    this.intervalMs = options.intervalMs ?? Math.min(1_000, Math.floor((options.graceMs ?? 10_000) / 4));
    for (const q of options.queues) {
      assertName("queue", q.name);
      if (q.prefix !== undefined) assertName("prefix", q.prefix);
      assertShards(q.name, q.shards ?? 1);
    }
    this.connection = connect(options.connection as ConnectionOptions | undefined);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.pass = this.runOnce().then(
        (nextInMs) => this.schedule(nextInMs),
        (error: Error) => {
          this.options.onError?.(error);
          this.schedule(this.intervalMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  /** One pass over every queue; returns the ms until the next pass is due. */
  async runOnce(): Promise<number> {
    let nextInMs = this.intervalMs;
    for (const q of this.options.queues) {
      // One queue's trouble (a key of the wrong type, a schedule that cannot fire) is reported and
      // stays its own: the queues after it are still looked after.
      try {
        for (const shard of shardIndexes(q.shards ?? 1)) nextInMs = Math.min(nextInMs, await this.reclaim(q, shard));
        // A sharded queue keeps its schedules on shard 0; each firing goes to the shard its job id picks.
        const nextFiring = await new ScheduleStore(this.connection.client, q.name, q.prefix ?? "taskq", q.shards ?? 1).fireDue();
        if (nextFiring >= 0) nextInMs = Math.min(nextInMs, nextFiring + 1);
      } catch (error) {
        if (!this.options.onError) throw error;
        this.options.onError(error as Error);
      }
    }
    return Math.max(1, nextInMs);
  }

  /** Takes back the expired leases of one shard of a queue; returns the ms until its next lease expires. */
  private async reclaim(q: { name: string; prefix?: string; shards?: number }, shard: number): Promise<number> {
    let nextInMs = this.intervalMs;
    const k = queueKeys(q.prefix ?? "taskq", q.name, shard, q.shards);
    let count: number;
    do {
      const [taken, next] = (await runScript(
        this.connection.client,
        "reclaimExpired",
        [k.active, k.dead, k.marker, k.events, ...k.wait, k.clock, k.workers],
        [k.base, BATCH, this.options.graceMs ?? 10_000],
      )) as [number, number];
      count = taken;
      if (count > 0) this.options.onReclaimed?.(q.name, count);
      if (next >= 0) nextInMs = Math.min(nextInMs, next + 1);
    } while (count === BATCH);
    return nextInMs;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
    if (this.connection.owned) await this.connection.client.quit().catch(() => undefined);
  }
}
