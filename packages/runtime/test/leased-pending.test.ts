/**
 * A plain job leased from the pending form (scripts/includes/pending-job.lua): its first lease writes
 * a record holding only the lease and its completion adds to it, its own fields staying in its data
 * entry. Readers must still see the whole job, and anything that sends it back to a list must turn it
 * into a whole record first.
 */
import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, Worker } from "../src/index.js";
import type { Handler } from "../src/internal.js";
import { QueueInspector } from "../src/admin/index.js";
import { SINGLE, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, useTopology, type Tweet } from "./fixtures.js";

describe("a job leased from the pending form", () => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const workers = useTopology(SINGLE, (suite) => ({ topo, client, redis } = suite));

  function work(def: ReturnType<typeof tweetJob>, handler: Handler): void {
    workers.push(new Worker({ connection: topo.connection, queues: [registration(def, handler)], shutdownTimeoutMs: 2_000 }));
  }

  it("has only its lease in its record while it runs, and reads as active, then completed, with its name", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    work(def, async (p: Tweet) => {
      started();
      await released;
      return { tweetId: p.content };
    });
    const handle = await client.enqueue(def, { content: "once" });
    await running;

    const key = `${base}job:${handle.id}`;
    expect(Object.keys(await redis.hgetall(key)).sort()).toEqual(["a", "l", "s", "st", "w"]);
    expect((await redis.hget(`${base}data`, handle.id))?.startsWith("\x01")).toBe(true);
    expect(await handle.state()).toBe("active");
    const inspector = new QueueInspector({ connection: topo.connection, prefix });
    try {
      expect(await inspector.getJob("social", handle.id)).toMatchObject({ state: "active", name: "tweet", attempts: 1, payload: { content: "once" } });
      expect((await inspector.listJobs("social", { state: "active" })).map((j) => [j.id, j.name])).toEqual([[handle.id, "tweet"]]);

      release();
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "once" });
      expect(await handle.state()).toBe("completed");
      expect(await redis.hget(key, "n")).toBeNull();
      expect(await inspector.getJob("social", handle.id)).toMatchObject({ state: "completed", name: "tweet", attempts: 1, payload: { content: "once" } });
    } finally {
      await inspector.close();
    }
  });

  it("gets its whole record and bare payload when its first attempt fails, and runs again as attempt 2", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    const seen: Array<{ attempt: number; record: Record<string, string>; entry: string | null }> = [];
    let failed!: () => void;
    const firstFailed = new Promise<void>((r) => (failed = r));
    const handle = await client.enqueue(def, { content: "flaky" });
    work(def, async (p: Tweet, ctx: { attempt: number }) => {
      seen.push({ attempt: ctx.attempt, record: await redis.hgetall(`${base}job:${handle.id}`), entry: await redis.hget(`${base}data`, handle.id) });
      if (ctx.attempt === 1) {
        failed();
        throw new Error("first attempt fails");
      }
      return { tweetId: p.content };
    });
    // Waiting on a result marks a job that has not started (watch-job-2.lua), which gives it its whole
    // record: only once the first attempt runs.
    await firstFailed;
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "flaky" });
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    expect(seen[0].record.n).toBeUndefined();
    expect(seen[0].entry?.startsWith("\x01")).toBe(true);
    // The retry's lease finds a whole record: its fields, and the payload alone in `data`.
    expect(seen[1].record).toMatchObject({ n: "tweet", m: "3", p: "2", a: "2", s: "active" });
    expect(seen[1].entry).toBe(JSON.stringify({ content: "flaky" }));
  });
});
