import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, ConfigError, JobFailedError, Worker } from "../src/index.js";
import { type Handler, type JobDefinition, type QueueRegistration } from "../src/internal.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, type Tweet, useTopology } from "./fixtures.js";

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const workers = useTopology(kind, (suite) => ({ topo, client, redis } = suite));

  function work(queue: QueueRegistration, options: { concurrency?: number } = {}): Worker {
    const worker = new Worker({ connection: topo.connection, queues: [queue], shutdownTimeoutMs: 2_000, ...options });
    workers.push(worker);
    return worker;
  }
  const echo: Handler = async (p: Tweet) => ({ tweetId: p.content });

  describe("priorities", () => {
    it("serves priorities weighted-fair, 16/8/4/2/1, within 5 % over 9,300 jobs", async () => {
      const def = tweetJob(uniquePrefix());
      const levels = ["critical", "high", "normal", "low", "batch"] as const;
      for (const priority of levels) {
        await client.enqueueBulk(
          def,
          Array.from({ length: 5_000 }, () => ({ payload: { content: priority }, options: { priority } })),
        );
      }
      const served: string[] = [];
      const done = new Promise<void>((resolve) => {
        work(
          registration(
            def,
            async (p: Tweet) => {
              served.push(p.content);
              if (served.length === 9_300) resolve();
              return { tweetId: "x" };
            },
            20,
          ),
        );
      });
      await done;
      const first = served.slice(0, 9_300);
      const expected = [16, 8, 4, 2, 1].map((w) => (w / 31) * 9_300);
      levels.forEach((level, i) => {
        const share = first.filter((p) => p === level).length;
        expect(Math.abs(share - expected[i]) / expected[i], `${level}: ${share} of ${expected[i]}`).toBeLessThanOrEqual(0.05);
      });
    }, 60_000);

    it("serves the most urgent first in strict mode", async () => {
      const def = tweetJob(uniquePrefix());
      await client.enqueueBulk(
        def,
        Array.from({ length: 50 }, (_, i) => ({ payload: { content: `b${i}` }, options: { priority: "batch" as const } })),
      );
      await client.enqueueBulk(
        def,
        Array.from({ length: 50 }, (_, i) => ({ payload: { content: `c${i}` }, options: { priority: "critical" as const } })),
      );
      const served: string[] = [];
      const last = client.handle(def, "100");
      work({ ...registration(def, async (p: Tweet) => (served.push(p.content), { tweetId: "x" })), priorities: "strict" });
      await last.result({ timeoutMs: 5_000 });
      expect(served.slice(0, 50).every((c) => c.startsWith("c"))).toBe(true);
    });

    it("moves a waiting job to another priority with setPriority", async () => {
      const def = tweetJob(uniquePrefix());
      await client.enqueueBulk(
        def,
        Array.from({ length: 20 }, (_, i) => ({ content: `n${i}` })),
      );
      const late = await client.enqueue(def, { content: "promoted" }, { priority: "batch" });
      expect(await late.setPriority("critical")).toBe(true);
      const served: string[] = [];
      work({ ...registration(def, async (p: Tweet) => (served.push(p.content), { tweetId: "x" })), priorities: "strict" });
      await late.result({ timeoutMs: 5_000 });
      expect(served[0]).toBe("promoted");
    });
  });

  describe("uniqueness", () => {
    it("makes one job of concurrent duplicate enqueues, and of duplicates within a bulk", async () => {
      const def = tweetJob(uniquePrefix(), { unique: { by: "content" } });
      const handles = await Promise.all(Array.from({ length: 20 }, () => client.enqueue(def, { content: "same" })));
      expect(new Set(handles.map((h) => h.id)).size).toBe(1);
      const bulk = await client.enqueueBulk(def, [{ content: "x" }, { content: "y" }, { content: "x" }]);
      expect(bulk[0].id).toBe(bulk[2].id);
      expect(bulk[1].id).not.toBe(bulk[0].id);
      expect(await redis.llen(`${def.queue.prefix}:{social}:wait:2`)).toBe(3);
    });

    it("frees the key once the job ends, unless a ttl keeps it", async () => {
      const def = tweetJob(uniquePrefix(), { unique: { by: "payload" } });
      work(registration(def, echo));
      const first = await client.enqueue(def, { content: "once" });
      await first.result({ timeoutMs: 5_000 });
      const second = await client.enqueue(def, { content: "once" });
      expect(second.id).not.toBe(first.id);

      const throttled = tweetJob(uniquePrefix(), { unique: { by: "payload", ttlMs: 60_000 } });
      work(registration(throttled, echo));
      const a = await client.enqueue(throttled, { content: "t" });
      await a.result({ timeoutMs: 5_000 });
      expect((await client.enqueue(throttled, { content: "t" })).id).toBe(a.id);
    });
  });

  describe("dependencies", () => {
    it("runs a diamond in order", async () => {
      const def = tweetJob(uniquePrefix());
      const order: string[] = [];
      work(
        registration(
          def,
          async (p: Tweet) => {
            order.push(p.content);
            await new Promise((r) => setTimeout(r, 20));
            return { tweetId: p.content };
          },
          4,
        ),
      );
      const [d, b, c, a] = await client.enqueueBulk(def, [
        { payload: { content: "d" }, options: { jobId: "d", dependsOn: ["b", "c"] } },
        { payload: { content: "b" }, options: { jobId: "b", dependsOn: ["a"] } },
        { payload: { content: "c" }, options: { jobId: "c", dependsOn: ["a"] } },
        { payload: { content: "a" }, options: { jobId: "a" } },
      ]);
      expect([a.id, b.id, c.id, d.id]).toEqual(["a", "b", "c", "d"]);
      expect(await d.state()).toBe("blocked");
      await d.result({ timeoutMs: 5_000 });
      expect(order[0]).toBe("a");
      expect(order.slice(1, 3).sort()).toEqual(["b", "c"]);
      expect(order[3]).toBe("d");
    });

    it("refuses a cycle with its path, and a missing parent, writing nothing", async () => {
      const def = tweetJob(uniquePrefix());
      const cycle = await client
        .enqueueBulk(def, [
          { payload: { content: "x" }, options: { jobId: "x", dependsOn: ["z"] } },
          { payload: { content: "y" }, options: { jobId: "y", dependsOn: ["x"] } },
          { payload: { content: "z" }, options: { jobId: "z", dependsOn: ["y"] } },
        ])
        .catch((e) => e);
      expect(cycle).toBeInstanceOf(ConfigError);
      expect(cycle.message).toMatch(/cycle x → z → y → x/);
      const missing = await client.enqueue(def, { content: "orphan" }, { dependsOn: ["nope"] }).catch((e) => e);
      expect(missing).toBeInstanceOf(ConfigError);
      expect(missing.message).toMatch(/parent job nope does not exist/);
      expect(await topo.keys(`${def.queue.prefix}:*`)).toEqual([]);
    });

    it("fails the dependants of a dead job, or runs them with onParentFailure: ignore", async () => {
      const def = tweetJob(uniquePrefix(), { attempts: 1 });
      work(
        registration(def, async (p: Tweet) => {
          if (p.content === "parent") throw new Error("parent broke");
          return { tweetId: p.content };
        }),
      );
      const parent = await client.enqueue(def, { content: "parent" });
      const strict = await client.enqueue(def, { content: "strict" }, { dependsOn: [parent] });
      const grandchild = await client.enqueue(def, { content: "grandchild" }, { dependsOn: [strict] });
      const lenient = await client.enqueue(def, { content: "lenient" }, { dependsOn: [parent], onParentFailure: "ignore" });
      const error = await strict.result({ timeoutMs: 5_000 }).catch((e) => e);
      expect(error).toBeInstanceOf(JobFailedError);
      expect(error.message).toMatch(new RegExp(`parent job ${parent.id} dead`));
      await expect(grandchild.result({ timeoutMs: 5_000 })).rejects.toThrow(/parent job .* dead/);
      expect(await lenient.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "lenient" });
    });
  });
});

export type { JobDefinition };
