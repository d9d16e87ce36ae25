/**
 * Progress and job events pushed to the producer: `handle.progress()` / `handle.onProgress()` and
 * `client.events(queue)`, over sharded pub/sub on a real Redis and on a real Redis Cluster.
 */
import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, Worker, PermanentError, type DroppedEvents, type JobContext, type QueueEvent, type QueueEvents } from "../src/index.js";
import type { Handler, JobDefinition } from "../src/internal.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { startRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix, useTopology, type Tweet } from "./fixtures.js";

type Item = QueueEvent | DroppedEvents;

/** Reads `events` until `done(seen)` holds or `timeoutMs` passes; returns what it read. */
async function collect(events: QueueEvents, done: (seen: Item[]) => boolean, timeoutMs = 10_000): Promise<Item[]> {
  const seen: Item[] = [];
  const timer = setTimeout(() => void events.close(), timeoutMs);
  try {
    for await (const event of events) {
      seen.push(event);
      if (done(seen)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return seen;
}

/** The events of job `id`, as "type:attempt". */
function story(seen: Item[], id: string): string[] {
  return seen.filter((e): e is QueueEvent => e.type !== "dropped" && e.id === id).map((e) => `${e.type}:${e.attempt ?? ""}`);
}

const ended = (id: string) => (seen: Item[]) => seen.some((e) => e.type !== "dropped" && e.id === id && (e.type === "completed" || e.type === "dead"));

/** Active SSUBSCRIBE channels on every master, so a test sees subscriptions come and go. */
async function shardChannels(redis: Redis | Cluster, pattern: string): Promise<string[]> {
  const nodes = isCluster(redis) ? redis.nodes("master") : [redis];
  const all = await Promise.all(nodes.map((node) => node.call("PUBSUB", "SHARDCHANNELS", pattern) as Promise<string[]>));
  return all.flat().sort();
}

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const workers = useTopology(kind, (suite) => ({ topo, client, redis } = suite));

  function work(definition: JobDefinition<any, any>, handler: Handler, options: { concurrency?: number; autostart?: boolean } = {}): Worker {
    const worker = new Worker({
      connection: topo.connection,
      queues: [registration(definition, handler, options.concurrency ?? 1)],
      autostart: options.autostart,
      shutdownTimeoutMs: 2_000,
    });
    workers.push(worker);
    return worker;
  }

  it("a producer follows a job's progress as the worker reports it, with an async iterator and a callback", async () => {
    const def = tweetJob(uniquePrefix());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    work(def, async (_p: Tweet, ctx: JobContext<{ pct: number }>) => {
      await ctx.progress({ pct: 10 });
      await gate;
      await ctx.progress({ pct: 50 });
      await ctx.progress({ pct: 100 });
      return { tweetId: "done" };
    });
    const handle = await client.enqueue(def, { content: "follow me" });
    const called: unknown[] = [];
    const stopCallback = handle.onProgress((value) => called.push(value));
    const values: unknown[] = [];
    const iterator = handle.progress();
    await iterator.ready;
    const reading = (async () => {
      for await (const value of iterator) {
        values.push(value);
        // The first value is read or heard before the handler goes on.
        if (values.length === 1) release();
      }
    })();
    await reading;
    // The iteration ended by itself when the job completed.
    expect(await handle.state()).toBe("completed");
    expect(values).toEqual([{ pct: 10 }, { pct: 50 }, { pct: 100 }]);
    expect(called).toEqual(values);
    stopCallback();
    // A follower that starts after the job ended gets the last value, then the end.
    const late: unknown[] = [];
    for await (const value of handle.progress()) late.push(value);
    expect(late).toEqual([{ pct: 100 }]);
  });

  it("handle.progress() of a job that does not exist throws E_NOT_FOUND", async () => {
    const def = tweetJob(uniquePrefix());
    const handle = client.handle(def, "no-such-job");
    await expect(
      (async () => {
        for await (const _ of handle.progress()) void _;
      })(),
    ).rejects.toMatchObject({ code: "E_NOT_FOUND" });
  });

  it("client.events() reports a job that fails once then completes, in order, and one that dies", async () => {
    const def = tweetJob(uniquePrefix(), { attempts: 2, backoff: { type: "fixed", delayMs: 20 } });
    const events = client.events(def);
    await events.ready;
    work(def, async (p: Tweet, ctx) => {
      if (p.content === "doomed") throw new PermanentError("never");
      await ctx.progress(ctx.attempt * 10);
      if (ctx.attempt === 1) throw new Error("flaky");
      return { tweetId: "ok" };
    });
    const flaky = await client.enqueue(def, { content: "flaky" });
    const doomed = await client.enqueue(def, { content: "doomed" });
    const seen = await collect(events, (s) => ended(flaky.id)(s) && ended(doomed.id)(s));
    expect(story(seen, flaky.id)).toEqual(["enqueued:", "started:1", "progress:1", "failed:1", "started:2", "progress:2", "completed:2"]);
    expect(story(seen, doomed.id)).toEqual(["enqueued:", "started:1", "dead:1"]);
    const progress = seen.filter((e) => e.type === "progress" && e.id === flaky.id).map((e) => (e as QueueEvent).progress);
    expect(progress).toEqual([10, 20]);
    const first = seen.find((e) => e.type !== "dropped") as QueueEvent;
    expect(first).toMatchObject({ queue: "social", name: "tweet", shard: 0 });
    expect(Math.abs(first.at - Date.now())).toBeLessThan(60_000);
  });

  it("client.events() reports a cancelled job and the children that die with a dead parent", async () => {
    const def = tweetJob(uniquePrefix(), { attempts: 1 });
    const events = client.events(def.queue.name, { prefix: def.queue.prefix });
    await events.ready;
    const parent = await client.enqueue(def, { content: "parent" }, { delayMs: 60_000 });
    const child = await client.enqueue(def, { content: "child" }, { dependsOn: [parent.id] });
    expect(await parent.cancel()).toBe(true);
    const seen = await collect(events, ended(child.id));
    expect(story(seen, parent.id)).toEqual(["enqueued:", "cancelled:"]);
    expect(story(seen, child.id)).toEqual(["enqueued:", "dead:"]);
  });

  it("follows every shard of a sharded queue", async () => {
    const def = tweetJob(uniquePrefix(), { shards: 4 });
    const events = client.events(def);
    await events.ready;
    // One by one: free jobs go round the shards (a bulk stays on one).
    const handles = [];
    for (let i = 0; i < 12; i++) handles.push(await client.enqueue(def, { content: `job ${i}` }));
    work(def, async () => ({ tweetId: "ok" }), { concurrency: 4 });
    const ids = new Set(handles.map((h) => h.id));
    const completed = new Set<string>();
    const seen = await collect(events, (s) => {
      const last = s[s.length - 1];
      if (last.type === "completed") completed.add(last.id);
      return completed.size === ids.size;
    });
    expect(completed).toEqual(ids);
    for (const id of ids) expect(story(seen, id)).toEqual(["enqueued:", "started:1", "completed:1"]);
    const shards = new Set(seen.map((e) => (e as QueueEvent).shard));
    expect(shards.size).toBeGreaterThan(1);
    // Progress of a job on a shard other than 0 reaches its handle too.
    const other = handles.find((h) => (seen.find((e) => e.type === "started" && e.id === h.id) as QueueEvent).shard > 0)!;
    const late: unknown[] = [];
    for await (const value of other.progress()) late.push(value);
    expect(late).toEqual([]);
  });

  it("a slow consumer keeps at most bufferSize events and is told how many it lost", async () => {
    const def = tweetJob(uniquePrefix());
    const events = client.events(def, { bufferSize: 50 });
    await events.ready;
    // Nobody reads while 300 jobs are enqueued: 300 events for a buffer of 50.
    const handles = await client.enqueueBulk(
      def,
      Array.from({ length: 300 }, (_, i) => ({ content: `job ${i}` })),
    );
    const lastId = handles[handles.length - 1].id;
    // Read only once every message is in: the reader must be behind.
    const end = Date.now() + 5_000;
    while (events.dropped < 250 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    const seen = await collect(events, (s) => s.some((e) => e.type === "enqueued" && e.id === lastId));
    expect(seen[0]).toEqual({ type: "dropped", queue: "social", count: 250 });
    expect(seen.slice(1).map((e) => (e as QueueEvent).id)).toEqual(handles.slice(250).map((h) => h.id));
    expect(events.dropped).toBe(250);
    expect(() => client.events(def, { bufferSize: 0 })).toThrow(/bufferSize must be a positive integer/);
  });

  it("return() unsubscribes, and the last one to leave drops the channel", async () => {
    const def = tweetJob(uniquePrefix());
    const channel = `${def.queue.prefix}:{social}:job-events`;
    const a = client.events(def);
    const b = client.events(def);
    await Promise.all([a.ready, b.ready]);
    expect(await shardChannels(redis, `${def.queue.prefix}:*`)).toEqual([channel]);
    await a.return!();
    expect(await a.next()).toEqual({ value: undefined, done: true });
    // b still hears.
    const handle = await client.enqueue(def, { content: "for b" });
    const seen = await collect(b, (s) => s.length >= 1);
    expect(story(seen, handle.id)).toEqual(["enqueued:"]);
    // collect() left the loop: that unsubscribed b, the last listener of the channel.
    const end = Date.now() + 5_000;
    while ((await shardChannels(redis, `${def.queue.prefix}:*`)).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(await shardChannels(redis, `${def.queue.prefix}:*`)).toEqual([]);
  });

  it.skipIf(kind.name === "cluster")("publishes nothing for a queue nobody follows, and everything once somebody does", async () => {
    const def = tweetJob(uniquePrefix());
    const keys = { channel: `${def.queue.prefix}:{social}:job-events`, listening: `${def.queue.prefix}:{social}:listening` };
    // A bare subscriber, which sets no `listening` key: it only overhears.
    const spy = (redis as Redis).duplicate();
    const heard: string[] = [];
    spy.on("smessage", (_channel: string, message: string) => heard.push(message));
    try {
      await spy.ssubscribe(keys.channel);
      await client.enqueue(def, { content: "unheard" });
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual([]);
      expect(await redis.exists(keys.listening)).toBe(0);
      const events = client.events(def);
      await events.ready;
      const ttl = await redis.pttl(keys.listening);
      expect(ttl).toBeGreaterThan(30_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      const handle = await client.enqueue(def, { content: "heard" });
      const seen = await collect(events, (s) => s.length >= 1);
      expect(story(seen, handle.id)).toEqual(["enqueued:"]);
      const until = Date.now() + 5_000;
      while (heard.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toHaveLength(1);
      expect(heard[0]).toMatch(new RegExp(`^\\d+\nenqueued\\|${handle.id}\\|tweet\\|$`));
    } finally {
      spy.disconnect();
    }
  });

  it.skipIf(kind.name === "cluster")("a client that follows nothing opens no subscriber connection", async () => {
    const def = tweetJob(uniquePrefix());
    // Named, so its connections can be told from the suite's (a subscriber is a duplicate: same name).
    const name = `own-${def.queue.prefix}`;
    const own = new Client({ connection: { url: topo.connection as string, connectionName: name } });
    const count = async () => ((await redis.call("CLIENT", "LIST")) as string).split("\n").filter((line) => line.includes(` name=${name} `)).length;
    try {
      await own.enqueue(def, { content: "x" });
      // The client's own connection, and no other.
      expect(await count()).toBe(1);
      const events = own.events(def);
      await events.ready;
      expect(await count()).toBe(2);
      await events.close();
    } finally {
      await own.close();
    }
  });
});

describe("job events across a restart and a close", () => {
  it("a follower still gets the last value and its end after Redis restarts", async () => {
    const server = await startRedis({ aof: true });
    const client = new Client({ connection: server.url });
    const def = tweetJob(uniquePrefix());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = new Worker({
      connection: server.url,
      queues: [
        registration(def, async (_p: Tweet, ctx: JobContext<number>) => {
          await ctx.progress(1);
          await gate;
          await ctx.progress(2);
          return { tweetId: "after" };
        }),
      ],
      shutdownTimeoutMs: 2_000,
    });
    try {
      const handle = await client.enqueue(def, { content: "restart" });
      const values: unknown[] = [];
      let ended = false;
      const reading = (async () => {
        for await (const value of handle.progress()) values.push(value);
        ended = true;
      })();
      const until = Date.now() + 10_000;
      while (values.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(values).toEqual([1]);
      await server.restart(200);
      release();
      await Promise.race([reading, new Promise((r) => setTimeout(r, 20_000))]);
      expect(ended).toBe(true);
      expect(values.at(-1)).toBe(2);
      expect(await handle.state()).toBe("completed");
    } finally {
      await worker.close();
      await client.close();
      await server.stop();
    }
  }, 60_000);

  it("client.close() ends the iterations it had open", async () => {
    const server = await startRedis();
    const client = new Client({ connection: server.url });
    try {
      const def = tweetJob(uniquePrefix());
      const events = client.events(def);
      await events.ready;
      const handle = await client.enqueue(def, { content: "never runs" });
      const progress = handle.progress();
      await progress.ready;
      const both = Promise.all([
        (async () => {
          for await (const _ of events) void _;
        })(),
        (async () => {
          for await (const _ of progress) void _;
        })(),
      ]);
      await client.close();
      await expect(Promise.race([both.then(() => "ended"), new Promise((r) => setTimeout(() => r("hanging"), 5_000))])).resolves.toBe("ended");
    } finally {
      await server.stop();
    }
  });
});

function isCluster(redis: Redis | Cluster): redis is Cluster {
  return typeof (redis as Cluster).nodes === "function";
}
