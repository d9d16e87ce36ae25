/**
 * Puts back to work what no worker will finish: jobs whose lease expired because their worker died
 * or stopped heartbeating. Any number of TaskManagers may run against the same queues; the reclaim
 * script moves each job exactly once, so they need no leader. Due delayed jobs are promoted by the
 * workers' own fetches.
 */
import { connect, type ConnectionOptions, type OwnedConnection, type RedisClient } from "../redis/connection.js";
import { assertName, queueKeys } from "../redis/keys.js";
import { runScript } from "../redis/scripts.js";

export interface TaskManagerOptions {
  connection?: ConnectionOptions | RedisClient;
  /** The queues to look after, with their key prefix. */
  queues: Array<{ name: string; prefix?: string }>;
  /** The workers' lease: after an outage of Redis, how long live workers get to heartbeat again before anything is taken back. (Default: 10 000 ms) */
  leaseMs?: number;
  /** How often to look for expired leases. (Default: 1 000 ms) */
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
  private pass: Promise<void> | undefined;

  constructor(private readonly options: TaskManagerOptions) {
    for (const q of options.queues) assertName("queue", q.name);
    this.connection = connect(options.connection as ConnectionOptions | undefined);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.pass ??= this.runOnce()
        .then(() => undefined, (error: Error) => this.options.onError?.(error))
        .finally(() => (this.pass = undefined));
    }, this.options.intervalMs ?? 1_000);
    this.timer.unref();
  }

  /** One pass over every queue; returns the number of jobs taken back. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (const q of this.options.queues) {
      const k = queueKeys(q.prefix ?? "taskq", q.name);
      let count: number;
      do {
        count = (await runScript(this.connection.client, "reclaimExpired", [k.active, k.dead, k.marker, k.events, ...k.wait, k.clock, k.workers], [k.base, BATCH, this.options.leaseMs ?? 10_000])) as number;
        total += count;
        if (count > 0) this.options.onReclaimed?.(q.name, count);
      } while (count === BATCH);
    }
    return total;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.pass;
    if (this.connection.owned) await this.connection.client.quit().catch(() => undefined);
  }
}
