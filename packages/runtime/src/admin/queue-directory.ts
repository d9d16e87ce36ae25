/**
 * The queues an inspector shows, found once and shared. Discovery SCANs the whole keyspace (see
 * queue-discovery.ts), so it must not run per queue, nor per request of a dashboard polling every
 * second: a discovery is kept `freshMs`, and requests arriving while one runs wait for that one
 * instead of starting their own. Lookups by name are then a map read. On Cluster the scan covers every
 * master, so this holds there too.
 */
import type { RedisClient } from "../redis/connection.js";
import { discoverQueues, type QueueRef } from "./queue-discovery.js";

export class QueueDirectory {
  private found: { at: number; queues: Promise<QueueRef[]>; byName: Promise<Map<string, QueueRef[]>> } | undefined;

  constructor(
    private readonly redis: RedisClient,
    /** The queues to show; undefined: discover them. */
    private readonly given: QueueRef[] | undefined,
    /** With discovery, only queues under this key prefix. */
    private readonly prefix: string | undefined,
    /** How long one discovery is used. */
    private readonly freshMs: number,
  ) {}

  /** Every queue shown, sorted by prefix then name. */
  async all(): Promise<QueueRef[]> {
    if (this.given) return this.given;
    return this.current().queues;
  }

  /** Every queue shown, discovered anew: for a miss that may be a queue made within `freshMs`. */
  async rediscover(): Promise<QueueRef[]> {
    if (this.given) return this.given;
    return this.current(-1).queues;
  }

  /**
   * The queues of that name, under `prefix` when given, else under every prefix that holds one (a
   * queue is known by prefix and name: `mail` may be two queues). A name not found may be a queue
   * made since: it costs one new discovery (shared with any other running), so a request still
   * discovers at most once.
   */
  async find(name: string, prefix?: string): Promise<QueueRef[]> {
    const matching = (list: QueueRef[] | undefined) => (list ?? []).filter((q) => q.name === name && (prefix === undefined || q.prefix === prefix));
    if (this.given) return matching(this.given);
    const seen = this.current();
    const known = matching((await seen.byName).get(name));
    if (known.length > 0) return known;
    const again = this.found !== seen && this.found !== undefined ? this.found : this.current(-1);
    return matching((await again.byName).get(name));
  }

  private current(freshMs = this.freshMs) {
    if (!this.found || Date.now() - this.found.at > freshMs) {
      const queues = discoverQueues(this.redis, this.prefix);
      const byName = queues.then((list) => {
        const map = new Map<string, QueueRef[]>();
        for (const q of list) map.set(q.name, [...(map.get(q.name) ?? []), q]);
        return map;
      });
      const entry = { at: Date.now(), queues, byName };
      // A failed discovery is not kept: the next request tries again. Each caller awaits the promise it
      // uses and sees the failure there; these handlers only keep the other one from going unhandled.
      queues.catch(() => {
        if (this.found === entry) this.found = undefined;
      });
      byName.catch(() => undefined);
      this.found = entry;
    }
    return this.found;
  }
}
