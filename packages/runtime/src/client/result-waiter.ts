/**
 * Waits for jobs to finish without polling: one subscriber connection per client listens on the
 * events channel of each queue it waits on; the finishing scripts publish a job's id there when a
 * waiter flagged it. After a reconnect every waiter re-reads its job, since messages sent while the
 * connection was down are lost.
 */
import { duplicate, type RedisClient } from "../redis/connection.js";

type Recheck = () => void;

export class ResultWaiter {
  private subscriber: RedisClient | undefined;
  /** channel → job id → callbacks that re-read that job. */
  private readonly waiting = new Map<string, Map<string, Set<Recheck>>>();
  private readonly subscribed = new Map<string, Promise<unknown>>();

  constructor(private readonly client: RedisClient) {}

  /** Registers `recheck` for `id` on `channel` and resolves once the subscription is live. */
  async listen(channel: string, id: string, recheck: Recheck): Promise<() => void> {
    const byId = this.waiting.get(channel) ?? new Map<string, Set<Recheck>>();
    this.waiting.set(channel, byId);
    const set = byId.get(id) ?? new Set<Recheck>();
    byId.set(id, set);
    set.add(recheck);
    await this.subscribe(channel);
    return () => {
      set.delete(recheck);
      if (set.size === 0) byId.delete(id);
    };
  }

  private subscribe(channel: string): Promise<unknown> {
    let pending = this.subscribed.get(channel);
    if (!pending) {
      pending = this.connection().subscribe(channel);
      this.subscribed.set(channel, pending);
    }
    return pending;
  }

  private connection(): RedisClient {
    if (!this.subscriber) {
      const sub = duplicate(this.client);
      sub.on("message", (channel: string, id: string) => {
        for (const recheck of this.waiting.get(channel)?.get(id) ?? []) recheck();
      });
      // Messages published while the connection was down are lost: every waiter re-reads its job.
      sub.on("ready", () => {
        for (const byId of this.waiting.values()) for (const set of byId.values()) for (const recheck of set) recheck();
      });
      this.subscriber = sub;
    }
    return this.subscriber;
  }

  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = undefined;
    this.subscribed.clear();
    if (sub) sub.disconnect();
  }
}
