/**
 * The client's one connection for job events (`client.events()`, `handle.progress()`): made on the
 * first use, never before, so a producer that follows nothing holds no extra connection. It listens
 * with SSUBSCRIBE (sharded pub/sub, Redis 7): on Redis Cluster ioredis opens a subscriber per master
 * and subscribes each channel on the node that owns its slot, which is where the scripts SPUBLISH.
 * Several listeners of one channel share one subscription, dropped when the last one leaves.
 *
 * Messages sent while the connection is down are lost (pub/sub keeps nothing); ioredis subscribes
 * again on reconnect, and listeners are told (`onReconnect`) so they can re-read what they need.
 */
import { Cluster } from "ioredis";
import { duplicate, type RedisClient } from "../redis/connection.js";

/** One listener of one channel. */
export interface ChannelListener {
  /** Each message of the channel, as the script published it. */
  readonly onMessage: (message: string) => void;
  /** After the connection came back: messages may have been missed meanwhile. */
  readonly onReconnect?: () => void;
}

export class EventSubscriber {
  private subscriber: RedisClient | undefined;
  /** channel → its listeners. */
  private readonly listeners = new Map<string, Set<ChannelListener>>();
  /** channel → its SSUBSCRIBE, once sent. */
  private readonly subscribed = new Map<string, Promise<unknown>>();
  private connectedOnce = false;

  constructor(private readonly client: RedisClient) {}

  /**
   * Adds `listener` to `channel`, and resolves once the subscription is live (messages published
   * after that reach it) with the function that removes it.
   */
  async listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    const connection = this.connection();
    let pending = this.subscribed.get(channel);
    if (!pending) {
      pending = connection.ssubscribe(channel);
      this.subscribed.set(channel, pending);
    }
    try {
      await pending;
    } catch (error) {
      await this.unlisten(channel, listener);
      throw error;
    }
    return () => this.unlisten(channel, listener);
  }

  private async unlisten(channel: string, listener: ChannelListener): Promise<void> {
    const set = this.listeners.get(channel);
    if (!set?.delete(listener) || set.size > 0) return;
    this.listeners.delete(channel);
    const pending = this.subscribed.get(channel);
    this.subscribed.delete(channel);
    const sub = this.subscriber;
    if (!pending || !sub) return;
    // After the SSUBSCRIBE settled, or SUNSUBSCRIBE could overtake it; a failure leaves nothing to undo.
    await pending.then(
      () => (sub.status === "ready" ? sub.sunsubscribe(channel) : undefined),
      () => undefined,
    ).catch(() => undefined);
  }

  private connection(): RedisClient {
    if (this.subscriber) return this.subscriber;
    const client = this.client;
    // A Cluster sends SSUBSCRIBE to the owner of the channel's slot only with `shardedSubscribers`.
    const sub =
      client instanceof Cluster
        ? client.duplicate(undefined, { shardedSubscribers: true, redisOptions: client.options.redisOptions })
        : duplicate(client);
    if (sub instanceof Cluster) sub.on("error", () => undefined);
    sub.on("smessage", (channel: string, message: string) => {
      const set = this.listeners.get(channel);
      if (!set) return;
      for (const listener of [...set]) listener.onMessage(message);
    });
    // ioredis subscribes again by itself; what was published meanwhile is lost, so listeners re-read.
    const ready = client instanceof Cluster ? "subscribersReady" : "ready";
    sub.on(ready, () => {
      if (!this.connectedOnce) {
        this.connectedOnce = true;
        return;
      }
      for (const set of this.listeners.values()) for (const listener of [...set]) listener.onReconnect?.();
    });
    this.subscriber = sub;
    return sub;
  }

  /** Closes the connection; listeners get nothing more. */
  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = undefined;
    this.listeners.clear();
    this.subscribed.clear();
    this.connectedOnce = false;
    if (sub) sub.disconnect();
  }
}
