import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, Monitor, Worker, type WorkerOptions } from "../src/index.js";
import { type Handler, type JobDefinition } from "../src/internal.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, type Tweet, useTopology } from "./fixtures.js";

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const workers = useTopology(kind, (suite) => ({ topo, client, redis } = suite));

  function work(definition: JobDefinition<any, any>, handler: Handler, options: Partial<WorkerOptions> = {}): Worker {
    const worker = new Worker({ connection: topo.connection, queues: [registration(definition, handler)], shutdownTimeoutMs: 2_000, ...options });
    workers.push(worker);
    return worker;
  }

  function deferred<T = void>() {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  }

  const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 5_000) => {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  describe("leases", () => {
    it("takes back a job whose worker stopped heartbeating, and refuses that worker's late completion", async () => {
      const def = tweetJob(uniquePrefix());
      const release = deferred();
      const picked = deferred();
      const stalled = work(
        def,
        async () => {
          picked.resolve();
          await release.promise;
          return { tweetId: "stale" };
        },
        { heartbeatMs: 250, deadAfterMs: 300, taskManager: false },
      );
      const lost: string[] = [];
      stalled.on("lost", (e) => lost.push(e.job.id));

      const handle = await client.enqueue(def, { content: "x" });
      await picked.promise;
      work(def, async () => ({ tweetId: "fresh" }), { heartbeatMs: 50, deadAfterMs: 300 });

      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "fresh" });
      release.resolve();
      await until(() => lost.length === 1);
      expect(lost).toEqual([handle.id]);
      const errors = (await redis.lrange(`${def.queue.prefix}:{social}:errors:${handle.id}`, 0, -1)).map((e) => JSON.parse(e));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ attempt: 1, name: "LeaseExpired" });
      expect(await redis.hget(`${def.queue.prefix}:{social}:job:${handle.id}`, "r")).toBe(JSON.stringify({ tweetId: "fresh" }));
    });

    it("keeps a long job's lease alive with heartbeats", async () => {
      const def = tweetJob(uniquePrefix());
      let runs = 0;
      work(
        def,
        async () => {
          runs++;
          await new Promise((r) => setTimeout(r, 800));
          return { tweetId: "long" };
        },
        { heartbeatMs: 50, deadAfterMs: 250 },
      );
      const handle = await client.enqueue(def, { content: "x" });
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "long" });
      expect(runs).toBe(1);
    });
  });

  describe("graceful shutdown", () => {
    it("lets running jobs finish within shutdownTimeoutMs", async () => {
      const def = tweetJob(uniquePrefix());
      const started = deferred();
      const worker = work(def, async () => {
        started.resolve();
        await new Promise((r) => setTimeout(r, 100));
        return { tweetId: "done" };
      });
      const handle = await client.enqueue(def, { content: "x" });
      await started.promise;
      await worker.close();
      expect(await handle.state()).toBe("completed");
    });

    it("gives a job still running at the deadline back to the queue at once, attempt not counted", async () => {
      const def = tweetJob(uniquePrefix());
      const started = deferred();
      let aborted = false;
      const worker = work(
        def,
        (_p, ctx) => {
          started.resolve();
          return new Promise((_, reject) =>
            ctx.signal.addEventListener("abort", () => {
              aborted = true;
              reject(ctx.signal.reason);
            }),
          );
        },
        { shutdownTimeoutMs: 100 },
      );
      const handle = await client.enqueue(def, { content: "x" });
      await started.promise;
      const closing = Date.now();
      await worker.close();
      expect(Date.now() - closing).toBeLessThan(1_000);
      expect(aborted).toBe(true);
      expect(await handle.state()).toBe("waiting");
      expect(await redis.hget(`${def.queue.prefix}:{social}:job:${handle.id}`, "a")).toBe("0");
      // No lease left (the index keeps its anchor, scored +inf: store/active-index.ts).
      expect(await redis.zcount(`${def.queue.prefix}:{social}:active`, "-inf", "(+inf")).toBe(0);

      const attempts: number[] = [];
      work(def, async (_p: Tweet, ctx) => {
        attempts.push(ctx.attempt);
        return { tweetId: "second worker" };
      });
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "second worker" });
      expect(attempts).toEqual([1]);
    });
  });

  describe("Monitor", () => {
    it("lists live workers with the jobs they hold, and declares a silent one dead", async () => {
      const def = tweetJob(uniquePrefix());
      const release = deferred();
      const started = deferred();
      const worker = work(
        def,
        async () => {
          started.resolve();
          await release.promise;
          return { tweetId: "x" };
        },
        { heartbeatMs: 50 },
      );
      const handle = await client.enqueue(def, { content: "x" });
      await started.promise;
      const monitor = new Monitor({ connection: topo.connection, queues: [{ name: "social", prefix: def.queue.prefix }], deadAfterMs: 300 });
      await until(async () => (await monitor.listWorkers()).length === 1);
      const [live] = await monitor.listWorkers();
      // Queues are shown by label: prefix:name outside the default prefix.
      const label = `${def.queue.prefix}:social`;
      expect(live).toMatchObject({ id: worker.id, state: "live", pid: process.pid, queues: [label], jobs: { [label]: [handle.id] } });

      // A worker that stopped heartbeating long ago (a crashed process). The queue's clock started with
      // the first heartbeat above, and nothing is declared dead within deadAfterMs of that start.
      await new Promise((r) => setTimeout(r, 350));
      await redis.zadd(`${def.queue.prefix}:{social}:workers`, Date.now() - 60_000, "ghost:1:abc");
      const ghost = (await monitor.listWorkers()).find((w) => w.id === "ghost:1:abc");
      expect(ghost?.state).toBe("dead");

      release.resolve();
      await handle.result();
      await worker.close();
      expect((await monitor.listWorkers()).map((w) => w.id)).toEqual(["ghost:1:abc"]);
      await monitor.close();
    });
  });
});
