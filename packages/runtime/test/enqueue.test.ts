import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, ConfigError, ValidationError } from "../src/index.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { tweetJob, uniquePrefix } from "./fixtures.js";
import { parsePendingEntry, payloadOfEntry } from "../src/store/index.js";

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;

  beforeAll(async () => {
    topo = await kind.start();
    client = new Client({ connection: topo.connection });
    redis = topo.redis;
  });
  afterAll(async () => {
    await client.close();
    await topo.stop();
  });

  async function keysOf(prefix: string): Promise<string[]> {
    return topo.keys(`${prefix}:*`);
  }

  describe("enqueue", () => {
    it("refuses a too-long tweet with the field path and rule, and writes nothing", async () => {
      const prefix = uniquePrefix();
      const error = await client.enqueue(tweetJob(prefix), { content: "x".repeat(281) }).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues).toContainEqual(expect.objectContaining({ path: "/content", rule: "maxLength" }));
      expect(error.message).toMatch(/content.*maxLength/);
      expect(await keysOf(prefix)).toEqual([]);
    });

    it("refuses a payload of the wrong type from JavaScript", async () => {
      const prefix = uniquePrefix();
      const error = await client.enqueue(tweetJob(prefix), { content: 1 } as any).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues[0]).toMatchObject({ path: "/content", rule: "type" });
      expect(await keysOf(prefix)).toEqual([]);
    });

    it("runs its scripts again once Redis forgot them (SCRIPT FLUSH, as after a restart or failover)", async () => {
      const prefix = uniquePrefix();
      await client.enqueue(tweetJob(prefix), { content: "before" });
      const nodes = "nodes" in redis ? redis.nodes("master") : [redis];
      await Promise.all(nodes.map((node) => node.script("FLUSH")));
      const handles = await Promise.all([1, 2, 3].map((i) => client.enqueue(tweetJob(prefix), { content: `after ${i}` })));
      expect(new Set(handles.map((handle) => handle.id)).size).toBe(3);
      expect(await handles[0].state()).toBe("waiting");
    });

    it("writes a job under the queue's hash tag", async () => {
      const prefix = uniquePrefix();
      const handle = await client.enqueue(tweetJob(prefix), { content: "hi" });
      expect(handle).toMatchObject({ name: "tweet", queue: "social" });
      expect(await handle.state()).toBe("waiting");
      const keys = await keysOf(prefix);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key.startsWith(`${prefix}:{social}:`)).toBe(true);
    });

    it("makes one job per jobId, however often it is enqueued", async () => {
      const prefix = uniquePrefix();
      const a = await client.enqueue(tweetJob(prefix), { content: "once" }, { jobId: "order-42" });
      const b = await client.enqueue(tweetJob(prefix), { content: "twice" }, { jobId: "order-42" });
      expect(a.id).toBe("order-42");
      expect(b.id).toBe("order-42");
      expect(await redis.llen(`${prefix}:{social}:wait:2`)).toBe(1);
      expect(await redis.hget(`${prefix}:{social}:data`, "order-42")).toBe(JSON.stringify({ content: "once" }));
    });

    it("refuses an explicit jobId of digits only, which could collide with counted ids", async () => {
      const prefix = uniquePrefix();
      const error = await client.enqueue(tweetJob(prefix), { content: "x" }, { jobId: "42" }).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(/\/jobId: reserved \(an id of digits only .*order-/);
      expect(await topo.keys(`${prefix}:*`)).toEqual([]);
    });

    it("writes a bulk of jobs all at once, or none when one item is invalid", async () => {
      const prefix = uniquePrefix();
      const items = Array.from({ length: 500 }, (_, i) => ({ content: `tweet ${i}` }));
      const handles = await client.enqueueBulk(tweetJob(prefix), items);
      expect(new Set(handles.map((h) => h.id)).size).toBe(500);
      expect(await redis.llen(`${prefix}:{social}:wait:2`)).toBe(500);

      const other = uniquePrefix();
      const bad = [{ content: "ok" }, { payload: { content: "ok too" }, options: { priority: "high" as const } }, { content: "" }];
      const error = await client.enqueueBulk(tweetJob(other), bad).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.index).toBe(2);
      expect(error.message).toMatch(/item 2.*\/content: minLength/);
      expect(await keysOf(other)).toEqual([]);
    });

    it("gives each handle of a bulk its own job, whether the ids are all counted or mixed with explicit ones", async () => {
      const prefix = uniquePrefix();
      const base = `${prefix}:{social}:`;
      const counted = await client.enqueueBulk(tweetJob(prefix), [{ content: "a" }, { content: "b" }, { content: "c" }]);
      const mixed = await client.enqueueBulk(tweetJob(prefix), [
        { content: "d" },
        { payload: { content: "e" }, options: { jobId: "order-e" } },
        { payload: { content: "f" }, options: { priority: "high" as const } },
      ]);
      const single = await client.enqueue(tweetJob(prefix), { content: "g" });
      const ids = [...counted, ...mixed, single].map((h) => h.id);
      expect(ids[4]).toBe("order-e");
      // Counted ids go up by one per job across calls: the compact reply of an all-counted call
      // (enqueue-8.lua returns only the first id) must give the same ids as the full one.
      expect(ids.filter((id) => id !== "order-e").map(Number)).toEqual([1, 2, 3, 4, 5, 6]);
      const entries = await redis.hmget(`${base}data`, ...ids);
      expect(entries.map((p) => JSON.parse(String(payloadOfEntry(p))).content)).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
      // A waiting job with a counted id is pending: no record until its first lease, its fields ahead
      // of its payload (store/pending-job.ts); the job with an explicit id has its record.
      expect(parsePendingEntry(entries[5])?.fields).toMatchObject({ n: "tweet", p: "1" });
      expect(await redis.exists(...ids.filter((id) => id !== "order-e").map((id) => `${base}job:${id}`))).toBe(0);
      expect(await redis.hget(`${base}job:order-e`, "n")).toBe("tweet");
    });

    it("refuses queue names outside [A-Za-z0-9._-]{1,64}", async () => {
      const error = await (async () => client.enqueue(tweetJob(uniquePrefix(), { queue: "bad queue!" }), { content: "hi" }))().catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(/invalid queue name/);
    });

    it("refuses a payload over maxPayloadBytes", async () => {
      const small = new Client({ connection: topo.connection, maxPayloadBytes: 100 });
      const prefix = uniquePrefix();
      const error = await small.enqueue(tweetJob(prefix), { content: "x".repeat(200) }).catch((e) => e);
      // A schedule stores the payload it will enqueue: the same limit applies when it is made.
      const scheduled = await small.schedule(tweetJob(prefix), { everyMs: 60_000 }, { content: "y".repeat(200) }).catch((e) => e);
      await small.close();
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues[0].rule).toBe("maxPayloadBytes");
      expect(scheduled).toBeInstanceOf(ValidationError);
      expect(scheduled.issues[0].rule).toBe("maxPayloadBytes");
      expect(await keysOf(prefix)).toEqual([]);
    });

    it("cancels a waiting job, and its result() rejects", async () => {
      const handle = await client.enqueue(tweetJob(uniquePrefix()), { content: "never" });
      expect(await handle.cancel()).toBe(true);
      expect(await handle.state()).toBe("cancelled");
      await expect(handle.result()).rejects.toMatchObject({ code: "E_JOB_FAILED", state: "cancelled" });
    });
  });
});
