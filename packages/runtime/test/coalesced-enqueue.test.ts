/**
 * Enqueues issued together: a lone enqueue is sent at once; plain single enqueues made while others
 * are out go as one script call (store/merged-enqueues.ts), other calls share a socket write
 * (store/coalesced-scripts.ts). Every job of a burst is still written whole, once, under its own id,
 * on one server and on a Cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client } from "../src/index.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { tweetJob, uniquePrefix } from "./fixtures.js";
import { parsePendingEntry, payloadOfEntry } from "../src/store/index.js";

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("on %s Redis", (name, kind) => {
  let topo: TestTopology;
  let client: Client;

  beforeAll(async () => {
    topo = await kind.start();
    client = new Client({ connection: topo.connection });
  });
  afterAll(async () => {
    await client.close();
    await topo.stop();
  });

  it("writes every job of a burst from 50 callers on two queues, each once, whole, under its own id", async () => {
    const prefix = uniquePrefix();
    const queues = ["social", "other"];
    const defs = queues.map((queue) => tweetJob(prefix, { queue }));
    const made: Array<{ queue: string; id: string; content: string }> = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, caller) => {
        for (let i = 0; i < 4; i++) {
          const at = (caller + i) % 2;
          const content = `c${caller}-${i}`;
          const handle = await client.enqueue(defs[at], { content });
          made.push({ queue: queues[at], id: handle.id, content });
        }
      }),
    );
    expect(made).toHaveLength(200);
    for (const queue of ["social", "other"]) {
      const ids = made.filter((m) => m.queue === queue).map((m) => m.id);
      expect(new Set(ids).size).toBe(100);
      const base = `${prefix}:{${queue}}:`;
      expect((await topo.redis.lrange(`${base}wait:2`, 0, -1)).sort()).toEqual([...ids].sort());
      const data = await topo.redis.hgetall(`${base}data`);
      for (const m of made.filter((m) => m.queue === queue)) {
        // Pending jobs (store/pending-job.ts): their fields ahead of the payload, no record yet.
        const entry = parsePendingEntry(data[m.id]);
        expect(JSON.parse(String(entry?.payload))).toEqual({ content: m.content });
        expect(entry?.fields.n).toBe("tweet");
      }
    }
  });

  it.runIf(name === "single")("sends a lone enqueue at once, and the single enqueues of a burst as one script call", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    await client.enqueue(def, { content: "warm" });
    const before = await evalshaCalls();
    await client.enqueue(def, { content: "lone" });
    expect(await evalshaCalls()).toBe(before + 1);
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => client.enqueue(def, { content: `b${i}` })));
    // The first went at once; the other nine waited for the end of the turn and went together.
    expect(await evalshaCalls()).toBe(before + 3);
    const ids = burst.map((h) => Number(h.id));
    expect(new Set(ids).size).toBe(10);
    const data = await topo.redis.hgetall(`${prefix}:{social}:data`);
    burst.forEach((h, i) => expect(JSON.parse(String(payloadOfEntry(data[h.id])))).toEqual({ content: `b${i}` }));
  });

  it.runIf(name === "single")("corks the socket for enqueues that cannot be merged, only while others are out", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const socket = (client.redis as Redis).stream;
    await client.enqueue(def, { content: "warm" });
    const lone = client.enqueue(def, { content: "lone" }, { jobId: "lone" });
    await microtasks();
    expect(socket.writableCorked).toBe(0);
    await lone;
    const burst = Array.from({ length: 10 }, (_, i) => client.enqueue(def, { content: `b${i}` }, { jobId: `b${i}` }));
    await microtasks();
    // The first went at once; the rest were written into the corked socket.
    expect(socket.writableCorked).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writableCorked).toBe(0);
    expect((await Promise.all(burst)).map((h) => h.id)).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
  });

  it.runIf(name === "single")("answers each merged enqueue with its own call's answer when Redis refuses the merged call", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const other = tweetJob(prefix, { name: "other" });
    const base = `${prefix}:{social}:`;
    // Warmed up, then cancelled, so nothing of the warm-up is left to count below.
    const warm = await client.enqueue(def, { content: "warm" });
    await warm.cancel();
    // Every call fails on the marker of the wrong type, and each one says so, with nothing written.
    await topo.redis.set(`${base}marker`, "not a zset");
    const results = await Promise.allSettled([
      client.enqueue(def, { content: "a" }),
      client.enqueue(other, { content: "b" }),
      client.enqueue(def, { content: "c" }),
    ]);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      expect(((result as PromiseRejectedResult).reason as Error).message).toContain(`key ${base}marker holds a string, not a zset`);
    }
    expect(await topo.redis.llen(`${base}wait:2`)).toBe(0);
    expect(await topo.redis.hlen(`${base}data`)).toBe(0);
  });

  it.runIf(name === "single")("keeps a client's enqueues in the order they were made, merged or not", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    await client.enqueue(def, { content: "warm" });
    const handles = await Promise.all([
      client.enqueue(def, { content: "a" }), // sent at once
      client.enqueue(def, { content: "b" }), // waits to be merged
      client.enqueue(def, { content: "c" }),
      client.enqueue(def, { content: "d" }, { jobId: "d" }), // not mergeable: b and c go first
      client.enqueue(def, { content: "e" }),
    ]);
    const waiting = await topo.redis.lrange(`${prefix}:{social}:wait:2`, 0, -1);
    // LPUSH puts the newest at the head; workers take from the tail.
    expect(waiting.reverse().slice(1)).toEqual(handles.map((h) => h.id));
  });

  async function evalshaCalls(): Promise<number> {
    const stats = await (topo.redis as Redis).info("commandstats");
    const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    return calls("evalsha") + calls("eval");
  }
});

/** Lets pending calls run up to their socket write: microtasks only, so still within this turn of the event loop. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}
