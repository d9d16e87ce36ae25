/**
 * A worker's heartbeat: every `heartbeatMs` it renews the leases of the jobs each runner holds, tells
 * the runners which leases another process took back, and keeps the worker on the Monitor's list
 * with what `info` says of it; at a graceful stop the worker takes itself off that list.
 */
import type { RedisClient } from "../redis/connection.js";
import { heartbeat } from "../store/index.js";
import type { QueueRunner } from "./queue-runner.js";

export class WorkerHeartbeat {
  private heartbeat: NodeJS.Timeout | undefined;
  /** A heartbeat is out: the next waits for it, so an outage does not pile heartbeats up in ioredis's queue. */
  private beating = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly workerId: string,
    private readonly leaseMs: number,
    private readonly heartbeatMs: number,
    private readonly runners: readonly QueueRunner[],
    /** What the Monitor shows of the worker, sent with every heartbeat. */
    private readonly info: () => string,
    private readonly report: (error: Error) => void,
  ) {}

  /** Beats now, then every `heartbeatMs`. */
  start(): void {
    void this.beat();
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.beatOnce();
    } finally {
      this.beating = false;
    }
  }

  private async beatOnce(): Promise<void> {
    const info = this.info();
    for (const runner of this.runners) {
      try {
        const lost = await heartbeat(this.redis, { keys: runner.keys, workerId: this.workerId, leaseMs: this.leaseMs, info, leases: runner.leases() });
        if (lost.length > 0) runner.abortLost(lost);
      } catch (error) {
        this.report(error as Error);
      }
    }
  }

  async deregister(): Promise<void> {
    // One MULTI per queue: each queue's keys live in their own Cluster slot.
    const redis = this.redis;
    await Promise.all(this.runners.map(({ keys }) => redis.multi().zrem(keys.workers, this.workerId).del(keys.worker(this.workerId)).exec())).catch(
      (error: Error) => this.report(error),
    );
  }
}
