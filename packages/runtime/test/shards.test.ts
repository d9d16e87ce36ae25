import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Cluster, type Redis } from "ioredis";
import { Client, ConfigError, TaskManager, Worker, type WorkerOptions } from "../src/index.js";
import { type Handler, type JobDefinition } from "../src/internal.js";
import { QueueInspector, discoverQueues } from "../src/admin/index.js";
import { parseShardTag, shardOfId, shardOfKey, shardTags, shardsOfTags, SHARD_ID_SPAN } from "../src/redis/shards.js";
import { tagSlot } from "../src/redis/key-slot.js";
import { SlotBudget, type BudgetMember } from "../src/worker/slot-budget.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, type JobOverrides, type Tweet } from "./fixtures.js";

const SHARDS = 3;

describe("shard tags and ids", () => {
  it("keeps the queue's own tag for shard 0 and spreads the others evenly over the slots", () => {
    expect(shardTags("social", 1)).toEqual(["social"]);
    const tags = shardTags("social", 3);
    expect(tags[0]).toBe("social");
    // One tag per third of the slot space: one per master of a 3-master cluster made the usual way.
    expect(new Set(tags.map((tag) => Math.floor(tagSlot(tag) / (16384 / 3)))).size).toBe(3);
    expect(tags.map((tag) => parseShardTag(tag))).toEqual([0, 1, 2].map((shard) => ({ queue: "social", shard })));
    expect(
      shardsOfTags(
        "social",
        tags.map((tag, shard) => ({ tag, shard })),
      ),
    ).toBe(3);
  });

  it("computes the slot Redis computes", () => {
    expect(tagSlot("123456789")).toBe(12739);
    expect(tagSlot("social")).toBe(9628);
  });

  it("reads the shard from a counted id, and hashes any other id", () => {
    expect(shardOfId("42", 3)).toBe(0);
    expect(shardOfId(String(2 * SHARD_ID_SPAN + 7), 3)).toBe(2);
    expect(shardOfId("order-7", 3)).toBe(shardOfKey("order-7", 3));
    expect(shardOfId("order-7", 1)).toBe(0);
  });
});

describe("SlotBudget", () => {
  const member = (held: number, waiting = false): BudgetMember & { held: number; woken: number } => {
    const m = { held, waiting, woken: 0, wake: () => void m.woken++ };
    return m;
  };

  it("lets one busy shard use the whole concurrency while the others are idle", () => {
    const budget = new SlotBudget(6);
    const [a, b, c] = [member(0), member(0), member(0)];
    [a, b, c].forEach((m) => budget.join(m));
    expect(budget.free(a)).toBe(6);
    a.held = 6;
    expect(budget.free(b)).toBe(0);
  });

  it("never gives more than the concurrency in all, however the slots are held", () => {
    const budget = new SlotBudget(3);
    const members = [member(1), member(1, true), member(1)];
    members.forEach((m) => budget.join(m));
    for (const m of members) expect(budget.free(m)).toBe(0);
  });

  it("caps a runner at its fair share while another waits for a slot, and wakes the waiter", () => {
    const budget = new SlotBudget(6);
    const a = member(5);
    const b = member(1, true);
    budget.join(a);
    budget.join(b);
    // a holds 5 of a share of 3: the slot it frees goes to b, not back to a.
    expect(budget.free(a) + 1).toBe(-1);
    budget.released(a);
    expect(b.woken).toBe(1);
    expect(a.woken).toBe(0);
  });
});

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("sharded queues on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    topo = await kind.start();
    client = new Client({ connection: topo.connection });
    redis = topo.redis;
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
  afterAll(async () => {
    await client.close();
    await topo.stop();
  });

  const sharded = (overrides: JobOverrides = {}) => tweetJob(uniquePrefix(), { shards: SHARDS, ...overrides });
  const jobKey = (def: JobDefinition<any, any>, id: string) => `${def.queue.prefix}:{${shardTags(def.queue.name, SHARDS)[shardOfId(id, SHARDS)]}}:job:${id}`;
  // Whether the shard its id names holds job `id`: its data entry, which a waiting job without a record has too.
  const held = (def: JobDefinition<any, any>, id: string) => redis.hexists(jobKey(def, id).replace(/:job:[^:]*$/, ":data"), id);

  function work(definition: JobDefinition<any, any>, handler: Handler, options: Partial<WorkerOptions> & { concurrency?: number } = {}): Worker {
    const { concurrency = 1, ...rest } = options;
    const worker = new Worker({ connection: topo.connection, queues: [registration(definition, handler, concurrency)], shutdownTimeoutMs: 2_000, ...rest });
    stops.push(() => worker.close());
    return worker;
  }

  const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 5_000) => {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it("spreads jobs over the shards, each shard in a slot (and on a cluster, a master) of its own", async () => {
    const def = sharded();
    const handles = await Promise.all(Array.from({ length: 30 }, (_, i) => client.enqueue(def, { content: `t${i}` })));
    const byShard = [0, 0, 0];
    for (const h of handles) byShard[shardOfId(h.id, SHARDS)]++;
    expect(byShard).toEqual([10, 10, 10]);
    for (const h of handles) expect(await held(def, h.id)).toBe(1);
    expect(new Set(handles.map((h) => h.id)).size).toBe(30);
    if (redis instanceof Cluster) {
      const masters = new Set<string>();
      for (const tag of shardTags(def.queue.name, SHARDS)) {
        const key = `${def.queue.prefix}:{${tag}}:seq`;
        const slot = Number(await redis.cluster("KEYSLOT", key));
        const owner = redis.slots[slot]?.[0];
        masters.add(String(owner));
      }
      expect(masters.size).toBe(3);
    }
  });

  it("runs every job exactly once with several workers, and hands back each result", async () => {
    const def = sharded();
    const runs = new Map<string, number>();
    const handler = async (p: Tweet, ctx: { id: string }) => {
      runs.set(ctx.id, (runs.get(ctx.id) ?? 0) + 1);
      return { tweetId: `${ctx.id}:${p.content}` };
    };
    work(def, handler, { concurrency: 4 });
    work(def, handler, { concurrency: 3 });
    const handles = await client.enqueueBulk(
      def,
      Array.from({ length: 20 }, (_, i) => ({ content: `b${i}` })),
    );
    handles.push(...(await Promise.all(Array.from({ length: 40 }, (_, i) => client.enqueue(def, { content: `s${i}` })))));
    const results = await Promise.all(handles.map((h) => h.result({ timeoutMs: 10_000 })));
    expect(results.map((r, i) => r.tweetId.startsWith(`${handles[i].id}:`))).toEqual(handles.map(() => true));
    expect(runs.size).toBe(60);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(handles.map((h) => shardOfId(h.id, SHARDS))).size).toBe(3);
  });

  it("keeps each shard's id range when a worker starts before anything was enqueued", async () => {
    const def = sharded();
    const seqKeys = shardTags(def.queue.name, SHARDS).map((tag) => `${def.queue.prefix}:{${tag}}:seq`);
    const ran: string[] = [];
    work(
      def,
      async (p: Tweet, ctx: { id: string }) => {
        ran.push(ctx.id);
        return { tweetId: p.content };
      },
      { concurrency: 3 },
    );
    // Every runner takes its lease-token base from its shard's sequence before its first fetch.
    await until(async () => (await Promise.all(seqKeys.map((key) => redis.exists(key)))).every((n) => n === 1));
    const handles = await Promise.all(Array.from({ length: 6 }, (_, i) => client.enqueue(def, { content: `late ${i}` })));
    expect(handles.map((h) => shardOfId(h.id, SHARDS)).sort()).toEqual([0, 0, 1, 1, 2, 2]);
    for (const h of handles) expect(await held(def, h.id)).toBe(1);
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })));
    expect(ran.sort()).toEqual(handles.map((h) => h.id).sort());
  });

  it("shares the queue's concurrency across its shards instead of multiplying it", async () => {
    const def = sharded();
    let running = 0;
    let most = 0;
    work(
      def,
      async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return { tweetId: "ok" };
      },
      { concurrency: 2 },
    );
    const handles = await Promise.all(Array.from({ length: 12 }, (_, i) => client.enqueue(def, { content: `c${i}` })));
    await Promise.all(handles.map((h) => h.result({ timeoutMs: 10_000 })));
    expect(most).toBe(2);
  });

  it("keeps a bulk of free jobs on one shard, so it stays atomic", async () => {
    const def = sharded();
    const handles = await client.enqueueBulk(def, [{ content: "a" }, { content: "b" }, { content: "c" }]);
    expect(new Set(handles.map((h) => shardOfId(h.id, SHARDS))).size).toBe(1);
  });

  it("places a jobId by its hash: the same id never makes a second job, and a handle by id finds it", async () => {
    const def = sharded();
    const ids = ["order-1", "order-2", "order-3", "order-4", "order-5", "order-6"];
    const first = await Promise.all(ids.map((jobId) => client.enqueue(def, { content: jobId }, { jobId })));
    const again = await Promise.all(ids.map((jobId) => client.enqueue(def, { content: "other" }, { jobId })));
    expect(again.map((h) => h.id)).toEqual(first.map((h) => h.id));
    expect(new Set(ids.map((id) => shardOfKey(id, SHARDS))).size).toBeGreaterThan(1);
    for (const id of ids) {
      expect(await client.handle(def, id).state()).toBe("waiting");
      expect(await redis.hget(jobKey(def, id), "n")).toBe("tweet");
    }
    work(def, async (p: Tweet) => ({ tweetId: p.content }));
    expect(await client.handle(def, "order-4").result({ timeoutMs: 5_000 })).toEqual({ tweetId: "order-4" });
  });

  it("places a unique job by its unique key, so duplicates meet on one shard", async () => {
    const def = sharded({ unique: { by: "content" } });
    const first = await client.enqueue(def, { content: "same" });
    const copies = await Promise.all(Array.from({ length: 6 }, () => client.enqueue(def, { content: "same" })));
    expect(copies.map((h) => h.id)).toEqual(copies.map(() => first.id));
    await expect(client.enqueue(def, { content: "x" }, { jobId: "u-1" })).rejects.toBeInstanceOf(ConfigError);
  });

  it("puts a child on its parents' shard and runs it after them, and refuses parents on two shards", async () => {
    const def = sharded();
    const order: string[] = [];
    work(
      def,
      async (p: Tweet) => {
        order.push(p.content);
        return { tweetId: p.content };
      },
      { concurrency: 3 },
    );
    const parent = await client.enqueue(def, { content: "parent" }, { delayMs: 200 });
    // An explicit id that hashes to another shard than its parent's.
    let childId = "child-of-parent";
    for (let i = 0; shardOfId(childId, SHARDS) === shardOfId(parent.id, SHARDS); i++) childId = `child-of-parent-${i}`;
    const child = await client.enqueue(def, { content: "child" }, { dependsOn: [parent], jobId: childId });
    expect(shardOfId(parent.id, SHARDS)).toBe((child as unknown as { shard: number }).shard);
    expect(await child.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "child" });
    expect(order).toEqual(["parent", "child"]);
    // A handle made from the id alone finds the child on its parents' shard, not the id's hash shard.
    const byId = client.handle(def, childId);
    expect(await byId.state()).toBe("completed");
    expect(await byId.result({ timeoutMs: 1_000 })).toEqual({ tweetId: "child" });

    const [a, b] = await Promise.all([client.enqueue(def, { content: "a" }), client.enqueue(def, { content: "b" })]);
    expect(shardOfId(a.id, SHARDS)).not.toBe(shardOfId(b.id, SHARDS));
    await expect(client.enqueue(def, { content: "c" }, { dependsOn: [a, b] })).rejects.toThrow(/different shards/);
  });

  it("takes back a stalled worker's jobs on every shard", async () => {
    const def = sharded();
    const picked = new Set<string>();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    work(
      def,
      async (_p, ctx) => {
        picked.add(ctx.id);
        await released;
        return { tweetId: "stale" };
      },
      { concurrency: 3, heartbeatMs: 250, deadAfterMs: 300, taskManager: false },
    );
    const handles = await Promise.all([0, 1, 2].map((i) => client.enqueue(def, { content: `r${i}` })));
    expect(new Set(handles.map((h) => shardOfId(h.id, SHARDS))).size).toBe(3);
    await until(() => picked.size === 3);
    work(def, async () => ({ tweetId: "fresh" }), { concurrency: 3, heartbeatMs: 50, deadAfterMs: 300 });
    expect(await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })))).toEqual(handles.map(() => ({ tweetId: "fresh" })));
    release();
    for (const h of handles) {
      const errors = await redis.lrange(jobKey(def, h.id).replace(/:job:/, ":errors:"), 0, -1);
      expect(errors.map((e) => JSON.parse(e).name)).toEqual(["LeaseExpired"]);
    }
  });

  it("shows a sharded queue as one queue: discovery, counts, listings and lookups by id", async () => {
    const def = sharded();
    const waiting = await Promise.all(Array.from({ length: 9 }, (_, i) => client.enqueue(def, { content: `w${i}` }, { priority: i < 3 ? "high" : "normal" })));
    await Promise.all(Array.from({ length: 3 }, (_, i) => client.enqueue(def, { content: `d${i}` }, { delayMs: 60_000 })));
    const found = await discoverQueues(redis, def.queue.prefix);
    expect(found).toEqual([{ prefix: def.queue.prefix, name: "social", shards: SHARDS }]);
    const inspector = new QueueInspector({ connection: topo.connection, prefix: def.queue.prefix });
    stops.push(() => inspector.close());
    const [stats] = await inspector.stats();
    expect(stats).toMatchObject({ queue: "social", waiting: 9, delayed: 3, waitingByPriority: { high: 3, normal: 6 } });
    const listed = await inspector.listJobs("social", { state: "waiting", limit: 50 });
    expect(listed.map((j) => j.priority)).toEqual([...Array(3).fill("high"), ...Array(6).fill("normal")]);
    expect(new Set(listed.map((j) => j.id))).toEqual(new Set(waiting.map((h) => h.id)));
    expect((await inspector.listJobs("social", { state: "waiting", limit: 4, offset: 2 })).map((j) => j.id)).toEqual(listed.slice(2, 6).map((j) => j.id));
    for (const h of waiting) expect((await inspector.findJob(h.id))?.id).toBe(h.id);
    expect(await inspector.cancel("social", waiting[4].id)).toMatchObject({ changed: true, stateBefore: "waiting" });
    expect((await inspector.stats())[0].waiting).toBe(8);
  });

  it("fires a schedule into the shards, each tick once, however many TaskManagers run", async () => {
    const def = sharded();
    await client.schedule(def, { everyMs: 100, limit: 6 }, { content: "tick" });
    const managers = [0, 1, 2].map(
      () => new TaskManager({ connection: topo.connection, queues: [{ name: def.queue.name, prefix: def.queue.prefix, shards: SHARDS }], intervalMs: 20 }),
    );
    for (const m of managers) {
      m.start();
      stops.push(() => m.stop());
    }
    const inspector = new QueueInspector({ connection: topo.connection, queues: [{ name: def.queue.name, prefix: def.queue.prefix, shards: SHARDS }] });
    stops.push(() => inspector.close());
    await until(async () => (await inspector.stats())[0].waiting === 6, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    const listed = await inspector.listJobs(def.queue.name, { state: "waiting" });
    expect(listed).toHaveLength(6);
    expect(new Set(listed.map((j) => shardOfId(j.id, SHARDS))).size).toBeGreaterThan(1);
  });

  it("refuses a rate-limited job on a sharded queue: each shard would count on its own", () => {
    const def = sharded({ rateLimit: { perSecond: 10 } });
    expect(() => new Worker({ connection: topo.connection, queues: [registration(def, async () => ({ tweetId: "x" }))], autostart: false })).toThrow(
      /rateLimit/,
    );
  });
});
