/**
 * The client's one connection for job events (`client.events()`, `handle.progress()`): made on the
 * first use, never before, so a producer that follows nothing holds no extra connection. It listens
 * with SSUBSCRIBE (sharded pub/sub, Redis 7): on Redis Cluster ioredis opens a subscriber per master
 * and subscribes each channel on the node that owns its slot, which is where the scripts SPUBLISH.
 * Several listeners of one channel share one subscription, dropped when the last one leaves.
 *
 * Messages sent while the connection is down are lost (pub/sub keeps nothing); ioredis subscribes
 * again on reconnect, and listeners are told (`onReconnect`) so they can re-read what they need.
 *
 * The scripts publish only while the queue's `listening` key exists (publish-event.lua), so a queue
 * nobody follows pays one EXISTS per script call and no more. Each subscription sets that key once
 * its SSUBSCRIBE is live, with a TTL renewed while it lasts: a client that dies stops it within
 * LISTENING_TTL_MS.
 */
import { Cluster } from "ioredis";
import { duplicate, type RedisClient } from "../redis/connection.js";

/** How long a `listening` key outlives its last renewal. */
const LISTENING_TTL_MS = 60_000;
/** How often a subscribed client renews its `listening` keys. */
const LISTENING_RENEW_MS = 20_000;

/** One listener of one channel. */
export interface ChannelListener {
  /** Each message of the channel, as the script published it. */
  readonly onMessage: (message: string) => void;
  /** After the connection came back: messages may have been missed meanwhile. */
  readonly onReconnect?: () => void;
  /** The client closed: nothing more will come. */
  readonly onClose?: () => void;
}

export class EventSubscriber {
  private subscriber: RedisClient | undefined;
  /** channel → its listeners. */
  private readonly listeners = new Map<string, Set<ChannelListener>>();
  /** channel → its SSUBSCRIBE, once sent. */
  private readonly subscribed = new Map<string, Promise<unknown>>();
  private connectedOnce = false;
  /** channel → the `listening` key that turns its publishing on. */
  private readonly flags = new Map<string, string>();
  private renewal: NodeJS.Timeout | undefined;

  constructor(private readonly client: RedisClient) {}

  /**
   * Adds `listener` to `channel`, and resolves once the subscription is live (messages published
   * after that reach it) with the function that removes it.
   */
  async listen(channel: string, listening: string, listener: ChannelListener): Promise<() => Promise<void>> {
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
      // After SSUBSCRIBE: whatever the scripts publish from now on reaches this listener.
      this.flags.set(channel, listening);
      await this.client.set(listening, "1", "PX", LISTENING_TTL_MS);
      this.renewal ??= setInterval(() => this.renew(), LISTENING_RENEW_MS).unref();
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
    // The key stays until its TTL: another client may follow the same queue.
    this.flags.delete(channel);
    const pending = this.subscribed.get(channel);
    this.subscribed.delete(channel);
    const sub = this.subscriber;
    if (!pending || !sub) return;
    // After the SSUBSCRIBE settled, or SUNSUBSCRIBE could overtake it; a failure leaves nothing to undo.
    await pending
      .then(
        () => (sub.status === "ready" ? sub.sunsubscribe(channel) : undefined),
        () => undefined,
      )
      .catch(() => undefined);
  }

  /** Renews every `listening` key of a live subscription (a failed renewal is retried at the next). */
  private renew(): void {
    if (this.flags.size === 0) {
      clearInterval(this.renewal);
      this.renewal = undefined;
      return;
    }
    for (const key of this.flags.values()) this.client.set(key, "1", "PX", LISTENING_TTL_MS).catch(() => undefined);
  }

  private connection(): RedisClient {
    if (this.subscriber) return this.subscriber;
    const client = this.client;
    // A Cluster sends SSUBSCRIBE to the owner of the channel's slot only with `shardedSubscribers`.
    const sub =
      client instanceof Cluster ? client.duplicate(undefined, { shardedSubscribers: true, redisOptions: client.options.redisOptions }) : duplicate(client);
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
      // Redis may have restarted without its data, `listening` keys included.
      this.renew();
      for (const set of this.listeners.values()) for (const listener of [...set]) listener.onReconnect?.();
    });
    this.subscriber = sub;
    return sub;
  }

  /** Closes the connection and ends every listener's iteration: nothing more will come. */
  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = undefined;
    const listeners = [...this.listeners.values()].flatMap((set) => [...set]);
    this.listeners.clear();
    for (const listener of listeners) listener.onClose?.();
    this.subscribed.clear();
    this.flags.clear();
    clearInterval(this.renewal);
    this.renewal = undefined;
    this.connectedOnce = false;
    if (sub) sub.disconnect();
  }
}
