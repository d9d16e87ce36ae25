import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client, Worker, PermanentError } from "../src/index.js";
import { QueueInspector, discoverQueues } from "../src/admin/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { CLUSTER, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let server: TestRedis;
let client: Client;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  client = new Client({ connection: server.url });
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await client.close();
  await server.stop();
});

describe("queue inspector", () => {
  it("discovers queues by scanning their structural keys, not job records", async () => {
    const prefix = uniquePrefix();
    await client.enqueue(tweetJob(prefix), { content: "a" });
    await client.enqueue(tweetJob(prefix, { queue: "mail", name: "send" }), { content: "b" }, { jobId: "only-explicit" });
    expect(await discoverQueues(redis, prefix)).toEqual([
      { prefix, name: "mail" },
      { prefix, name: "social" },
    ]);
  });

  it("counts jobs by state and priority, and workers by liveness", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    await client.enqueue(def, { content: "now" }, { priority: "critical" });
    await client.enqueue(def, { content: "now" });
    await client.enqueue(def, { content: "later" }, { delayMs: 60_000 });
    const inspector = new QueueInspector({ connection: server.url, prefix });
    const [stats] = await inspector.stats();
    expect(stats).toMatchObject({ queue: "social", prefix, waiting: 2, delayed: 1, active: 0, completed: 0, dead: 0 });
    expect(stats.waitingByPriority).toEqual({ critical: 1, high: 0, normal: 1, low: 0, batch: 0 });
    expect(stats.workers).toEqual({ live: 0, dead: 0 });
    await inspector.close();
  });

  it("lists waiting jobs next-to-run first, with offset and limit", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const low = await client.enqueue(def, { content: "1" }, { priority: "low" });
    const a = await client.enqueue(def, { content: "2" });
    const b = await client.enqueue(def, { content: "3" });
    const urgent = await client.enqueue(def, { content: "4" }, { priority: "critical" });
    const inspector = new QueueInspector({ connection: server.url, queues: [{ name: "social", prefix }] });
    const all = await inspector.listJobs("social", { state: "waiting" });
    expect(all.map((j) => j.id)).toEqual([urgent.id, a.id, b.id, low.id]);
    const page = await inspector.listJobs("social", { state: "waiting", offset: 1, limit: 2 });
    expect(page.map((j) => j.id)).toEqual([a.id, b.id]);
    expect(page[0]).toMatchObject({ name: "tweet", state: "waiting", priority: "normal", attempts: 0, maxAttempts: 3 });
    await inspector.close();
  });

  it("shows a dead job's payload, every error and logs, and retries it with fresh attempts", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix, { attempts: 2 });
    const worker = new Worker({
      connection: server.url,
      queues: [
        registration(def, async (_p, ctx) => {
          await ctx.log(`attempt ${ctx.attempt}`);
          if (ctx.attempt === 1) throw new Error("flaky");
          throw new PermanentError("refused");
        }),
      ],
    });
    const handle = await client.enqueue(def, { content: "doomed" });
    await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
    await worker.close();
    const inspector = new QueueInspector({ connection: server.url, prefix });
    const job = await inspector.getJob("social", handle.id);
    expect(job).toMatchObject({ id: handle.id, state: "dead", payload: { content: "doomed" }, attempts: 2, maxAttempts: 2, version: 1 });
    expect(job!.errors.map((e) => e.message)).toEqual(["flaky", "refused"]);
    expect(job!.logs.map((l) => l.replace(/^\S+ /, ""))).toEqual(["attempt 1", "attempt 2"]);
    expect(job!.finishedAt).toBeInstanceOf(Date);
    expect((await inspector.listJobs("social", { state: "dead" })).map((j) => j.id)).toEqual([handle.id]);

    expect(await inspector.retry("social", handle.id)).toEqual({ changed: true, stateBefore: "dead" });
    expect(await inspector.getJob("social", handle.id)).toMatchObject({ state: "waiting", attempts: 0 });
    expect(await inspector.retry("social", handle.id)).toEqual({ changed: false, stateBefore: "waiting" });
    await inspector.close();
  });

  it("runs a delayed job now on retry, keeping its attempts", async () => {
    const prefix = uniquePrefix();
    const handle = await client.enqueue(tweetJob(prefix), { content: "x" }, { delayMs: 60_000 });
    const inspector = new QueueInspector({ connection: server.url, prefix });
    expect(await inspector.retry("social", handle.id)).toEqual({ changed: true, stateBefore: "delayed" });
    const [stats] = await inspector.stats();
    expect(stats).toMatchObject({ waiting: 1, delayed: 0 });
    await inspector.close();
  });

  it("lists and counts jobs blocked on their parents until the parents finish, or until cancelled", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const parent = await client.enqueue(def, { content: "parent" });
    const first = await client.enqueue(def, { content: "child 1" }, { dependsOn: [parent] });
    const second = await client.enqueue(def, { content: "child 2" }, { dependsOn: [parent] });
    const inspector = new QueueInspector({ connection: server.url, prefix });
    expect((await inspector.stats())[0]).toMatchObject({ waiting: 1, blocked: 2 });
    const blocked = await inspector.listJobs("social", { state: "blocked" });
    expect(blocked.map((j) => j.id)).toEqual([first.id, second.id]);
    expect(blocked[0]).toMatchObject({ state: "blocked", name: "tweet" });
    expect(await inspector.cancel("social", second.id)).toEqual({ changed: true, stateBefore: "blocked" });
    expect((await inspector.listJobs("social", { state: "blocked" })).map((j) => j.id)).toEqual([first.id]);

    const worker = new Worker({ connection: server.url, queues: [registration(def, async (p: { content: string }) => ({ tweetId: p.content }))] });
    try {
      expect(await first.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "child 1" });
    } finally {
      await worker.close();
    }
    expect((await inspector.stats())[0].blocked).toBe(0);
    expect(await inspector.listJobs("social", { state: "blocked" })).toEqual([]);
    await inspector.close();
  });

  it("cancels a waiting job and changes a job's priority, refusing both once it is cancelled", async () => {
    const prefix = uniquePrefix();
    const handle = await client.enqueue(tweetJob(prefix), { content: "x" });
    const inspector = new QueueInspector({ connection: server.url, prefix });
    expect(await inspector.setPriority("social", handle.id, "batch")).toEqual({ changed: true, stateBefore: "waiting" });
    expect((await inspector.stats())[0].waitingByPriority.batch).toBe(1);
    expect(await inspector.cancel("social", handle.id)).toEqual({ changed: true, stateBefore: "waiting" });
    expect(await inspector.cancel("social", handle.id)).toEqual({ changed: false, stateBefore: "cancelled" });
    expect(await inspector.cancel("social", "404")).toEqual({ changed: false, stateBefore: undefined });
    await inspector.close();
  });

  it("finds a job by id across queues and says when the id is ambiguous", async () => {
    const prefix = uniquePrefix();
    await client.enqueue(tweetJob(prefix), { content: "x" }, { jobId: "same" });
    const mail = await client.enqueue(tweetJob(prefix, { queue: "mail" }), { content: "y" }, { jobId: "mail-only" });
    await client.enqueue(tweetJob(prefix, { queue: "mail" }), { content: "z" }, { jobId: "same" });
    const inspector = new QueueInspector({ connection: server.url, prefix });
    expect(await inspector.findJob(mail.id)).toMatchObject({ queue: "mail", payload: { content: "y" } });
    await expect(inspector.findJob("same")).rejects.toMatchObject({ code: "E_AMBIGUOUS" });
    expect(await inspector.findJob("nope")).toBeUndefined();
    await inspector.close();
  });

  it("reports live workers with the jobs they hold and the busy ratio", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const worker = new Worker({
      connection: server.url,
      queues: [
        registration(
          def,
          async () => {
            await gate;
            return { tweetId: "1" };
          },
          2,
        ),
      ],
    });
    const handle = await client.enqueue(def, { content: "hold" });
    const inspector = new QueueInspector({ connection: server.url, prefix });
    await expect.poll(async () => (await inspector.stats())[0].active, { timeout: 5_000 }).toBe(1);
    await expect.poll(async () => (await inspector.stats())[0].busyRatio, { timeout: 5_000 }).toBe(0.5);
    const [status] = await inspector.workers();
    expect(status).toMatchObject({ id: worker.id, state: "live", jobs: { [`${prefix}:social`]: [handle.id] } });
    release();
    await handle.result({ timeoutMs: 5_000 });
    await worker.close();
    await inspector.close();
  });
});

describe("queue inspector on Redis Cluster", () => {
  let topo: TestTopology;

  beforeAll(async () => {
    topo = await CLUSTER.start();
  }, 60_000);
  afterAll(async () => {
    await topo.stop();
  });

  it("discovers queues on every master, counts, lists, reads and retries jobs", async () => {
    const prefix = uniquePrefix();
    const clusterClient = new Client({ connection: topo.connection });
    const queues = ["social", "mail", "billing", "search"];
    const defs = queues.map((queue) => tweetJob(prefix, { queue, attempts: 1 }));
    for (const def of defs) await clusterClient.enqueue(def, { content: def.queue.name });
    const inspector = new QueueInspector({ connection: topo.connection, prefix });
    expect((await inspector.queues()).map((q) => q.name)).toEqual([...queues].sort());
    expect((await inspector.stats()).map((s) => s.waiting)).toEqual([1, 1, 1, 1]);

    const worker = new Worker({
      connection: topo.connection,
      queues: [
        registration(defs[0], async () => {
          throw new PermanentError("no");
        }),
      ],
    });
    const dead = await clusterClient.enqueue(defs[0], { content: "dies" });
    await dead.result({ timeoutMs: 5_000 }).catch(() => undefined);
    await worker.close();
    expect(await inspector.getJob("social", dead.id)).toMatchObject({
      state: "dead",
      payload: { content: "dies" },
      errors: [expect.objectContaining({ message: "no" })],
    });
    // The worker also ran (and killed) the job enqueued first; newest death first.
    expect((await inspector.listJobs("social", { state: "dead" })).map((j) => j.id)).toEqual([dead.id, "1"]);
    // Paged reads across queues (sizes read key by key: a Cluster pipeline cannot span slots).
    const page = await inspector.pageJobs({ state: "waiting", limit: 2 });
    expect(page.jobs.map((j) => j.queue)).toEqual(["billing", "mail"]);
    const rest = await inspector.pageJobs({ state: "waiting", limit: 2, cursor: page.nextCursor });
    expect(rest.jobs.map((j) => j.queue)).toEqual(["search"]);
    expect(rest.nextCursor).toBeUndefined();
    const deadPage = await inspector.pageDeadJobs({ limit: 1 });
    expect(deadPage.jobs.map((j) => j.id)).toEqual([dead.id]);
    expect((await inspector.pageDeadJobs({ limit: 5, cursor: deadPage.nextCursor })).jobs.map((j) => j.id)).toEqual(["1"]);
    expect(await inspector.retry("social", dead.id)).toEqual({ changed: true, stateBefore: "dead" });
    await inspector.close();
    await clusterClient.close();
  });
});
