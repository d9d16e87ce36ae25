/**
 * Enqueues issued together share socket writes (store/coalesced-scripts.ts): a lone enqueue is
 * written at once; one made while others are out corks the socket until the end of the event-loop
 * turn. Every job of a burst is still written whole, once, under its own id, on one server and on a
 * Cluster (whose calls are not corked).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client } from "../src/index.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { tweetJob, uniquePrefix } from "./fixtures.js";

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
    const defs = [tweetJob(prefix), tweetJob(prefix, { queue: "other" })];
    const made: Array<{ queue: string; id: string; content: string }> = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, caller) => {
        for (let i = 0; i < 4; i++) {
          const def = defs[(caller + i) % 2];
          const content = `c${caller}-${i}`;
          const handle = await client.enqueue(def, { content });
          made.push({ queue: def.queue, id: handle.id, content });
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
        expect(JSON.parse(data[m.id]!)).toEqual({ content: m.content });
        expect(await topo.redis.hget(`${base}job:${m.id}`, "n")).toBe("tweet");
      }
    }
  });

  it.runIf(name === "single")("corks the socket only while other enqueues are out, and uncorks it within the turn", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const socket = (client.redis as Redis).stream;
    await client.enqueue(def, { content: "warm" });
    const lone = client.enqueue(def, { content: "lone" });
    await microtasks();
    expect(socket.writableCorked).toBe(0);
    await lone;
    const burst = Array.from({ length: 10 }, (_, i) => client.enqueue(def, { content: `b${i}` }));
    await microtasks();
    // The first went at once; the rest were written into the corked socket.
    expect(socket.writableCorked).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writableCorked).toBe(0);
    const handles = await Promise.all(burst);
    expect(new Set(handles.map((h) => h.id)).size).toBe(10);
  });
});

/** Lets pending calls run up to their socket write: microtasks only, so still within this turn of the event loop. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 50; i++) await null;
}
