import { connect, type ConnectionOptions, type OwnedConnection, type RedisClient } from "../redis/connection.js";
import { DEFAULT_PREFIX } from "../queue-definition.js";
import { watchConnectionState, type ConnectionChange } from "../redis/connection-state.js";
import { untilDeadline } from "../worker/until-deadline.js";
import { assertName, queueKeys } from "../redis/keys.js";
import { reclaimExpired } from "../store/index.js";
import { ScheduleStore } from "../scheduler/schedule-store.js";
import { assertShards, shardIndexes } from "../redis/shards.js";

/** Options of `new TaskManager(options)`. */
export interface TaskManagerOptions {
  /** Where Redis is; a client passed in is used but not closed. (Default: {@link defaultRedisUrl}) */
  connection?: ConnectionOptions | RedisClient;
  /** The queues to look after, with their key prefix and number of shards (Default: 1); every shard is looked after. */
  queues: Array<{
    /** The queue's name. */
    name: string;
    /** Its Redis key prefix. (Default: "taskq") */
    prefix?: string;
    /** Its number of shards. (Default: 1) */
    shards?: number;
  }>;
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
  /**
   * Called when the TaskManager's own connection to Redis is lost or back, once per change (not per
   * reconnect attempt); meanwhile it waits, and picks up where it was. Not called for a connection
   * passed in as a client, whose owner watches it. (Default: none)
   */
  onConnectionChange?: (change: ConnectionChange) => void;
}

const BATCH = 1_000;

/**
 * Puts back to work what no worker will finish: jobs whose lease expired because their worker died
 * or stopped heartbeating. Any number of TaskManagers may run against the same queues; the reclaim
 * script moves each job exactly once, so they need no leader. Each pass learns when the next lease
 * expires and comes back right then (at most `intervalMs` later), so a dead worker's jobs are back in
 * the queue the moment its lease runs out. It also fires due schedules, each tick once however many
 * TaskManagers run. Due delayed jobs are promoted by the workers' own fetches. Every worker runs one.
 */
export class TaskManager {
  private readonly connection: OwnedConnection;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pass: Promise<void> | undefined;
  private readonly stopWatching: () => void = () => undefined;

  private readonly intervalMs: number;

  constructor(private readonly options: TaskManagerOptions) {
    this.intervalMs = options.intervalMs ?? Math.min(1_000, Math.floor((options.graceMs ?? 10_000) / 4));
    for (const q of options.queues) {
      assertName("queue", q.name);
      if (q.prefix !== undefined) assertName("prefix", q.prefix);
      assertShards(q.name, q.shards ?? 1);
    }
    // Commands wait through an outage instead of failing every pass; each state change is reported once.
    this.connection = connect(options.connection, { maxRetriesPerRequest: null });
    if (this.connection.owned && options.onConnectionChange) this.stopWatching = watchConnectionState(this.connection.client, options.onConnectionChange);
  }

  /** Starts the passes, the first at once; a second call does nothing. */
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
          if (this.running) this.options.onError?.(error);
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
        const nextFiring = await new ScheduleStore(this.connection.client, q.name, q.prefix ?? DEFAULT_PREFIX, q.shards ?? 1).fireDue();
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
    const k = queueKeys(q.prefix ?? DEFAULT_PREFIX, q.name, shard, q.shards);
    let count: number;
    do {
      const { taken, nextExpiryInMs } = await reclaimExpired(this.connection.client, { keys: k, limit: BATCH, graceMs: this.options.graceMs ?? 10_000 });
      count = taken;
      if (count > 0) this.options.onReclaimed?.(q.name, count);
      if (nextExpiryInMs >= 0) nextInMs = Math.min(nextInMs, nextExpiryInMs + 1);
    } while (count === BATCH);
    return nextInMs;
  }

  /**
   * Stops; a pass under way gets until `deadline` to finish (each of its steps is one atomic script,
   * so one cut short loses nothing: the next TaskManager redoes it). (Default deadline: 1 s from now)
   */
  async stop(deadline = Date.now() + 1_000): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    const redis = this.connection.client;
    // A pass waiting for an unreachable Redis has nothing to finish.
    if (redis.status === "ready") await untilDeadline(this.pass, deadline);
    this.stopWatching();
    if (!this.connection.owned) return;
    if (redis.status === "ready") await untilDeadline(redis.quit(), Date.now() + 500);
    redis.disconnect();
  }
}
