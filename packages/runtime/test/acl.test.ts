import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client, JobFailedError, TaskManager, Worker } from "../src/index.js";
import { type Handler, type JobDefinition } from "../src/internal.js";
import { QueueInspector } from "../src/admin/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, type JobOverrides, type Tweet } from "./fixtures.js";

/**
 * The least-privilege ACL of taskq, as README.md's Security section prints it: keys and channels
 * under the default prefix, and only the commands the runtime and its Lua scripts send.
 */
const COMMANDS = [
  // inside the Lua scripts (Redis checks a script's calls against the caller's ACL)
  // (decr, decrby and lpop take back a refused enqueue's writes)
  "del exists get set hdel hget hmget hset hincrby hkeys incr incrby decr decrby llen lpush lpop rpush lindex lrange lrem ltrim rpop pexpire publish spublish sadd smembers time type",
  "zadd zrange zrangebyscore zrem zremrangebyscore zscore",
  // a script runs by EVALSHA, and by EVAL when Redis has not seen it yet (never SCRIPT LOAD)
  "eval evalsha",
  // workers block on the marker, clients wait for results on pub/sub, `durable` sends WAIT
  "bzpopmin subscribe wait multi exec",
  // client.events() and handle.progress() follow job events on sharded pub/sub
  "ssubscribe sunsubscribe",
  // the Monitor, the QueueInspector (SCAN discovers queues) and the REST API's health check
  "mget hgetall hexists zcard zcount zrevrange scan ping",
  // ioredis's ready check on connect
  "info",
]
  .join(" ")
  .split(" ")
  .map((c) => `+${c}`);
const ACL = ["on", ">secret", "resetkeys", "~taskq:*", "resetchannels", "&taskq:*", "-@all", ...COMMANDS];

let queueCounter = 0;
/** A queue of its own per test, under the default prefix the ACL allows. */
function job(overrides: JobOverrides = {}) {
  return tweetJob("taskq", { queue: `acl${++queueCounter}`, ...overrides });
}

describe("a Redis user with only taskq's ACL", () => {
  let server: TestRedis;
  let admin: Redis;
  let url: string;
  let client: Client;
  const closing: Array<{ close(): Promise<void> }> = [];
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startRedis();
    admin = new Redis(server.url);
    await admin.call("ACL", "SETUSER", "taskq", ...ACL);
    url = `redis://taskq:secret@127.0.0.1:${server.port}`;
    client = new Client({ connection: url });
  });
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
    // Any command the ACL lacks shows in the ACL log, even one whose failure taskq swallowed.
    const denied = (await admin.call("ACL", "LOG")) as string[][];
    await admin.call("ACL", "LOG", "RESET");
    expect(denied.map((entry) => `${entry[3]}: ${entry[7]} (${entry[5]})`)).toEqual([]);
    expect(errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await client.close();
    admin.disconnect();
    await server.stop();
  });

  function work(definition: JobDefinition<any, any>, handler: Handler): Worker {
    const worker = new Worker({ connection: url, queues: [registration(definition, handler)], shutdownTimeoutMs: 2_000 });
    worker.on("error", (e: Error) => errors.push(e));
    closing.push(worker);
    return worker;
  }

  it("prints the same ACL in README.md", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(`ACL SETUSER taskq ${ACL.join(" ")}`);
  });

  it("enqueues, runs and returns a result", async () => {
    const def = job();
    work(def, async (p: Tweet, ctx) => ({ tweetId: `${ctx.id}:${p.content}` }));
    const handle = await client.enqueue(def, { content: "hi" });
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: `${handle.id}:hi` });
    expect(await handle.state()).toBe("completed");
  });

  it("follows a job's progress and the queue's events", async () => {
    const def = job();
    const events = client.events(def);
    await events.ready;
    work(def, async (_p: Tweet, ctx) => {
      await ctx.progress(50);
      return { tweetId: "x" };
    });
    const handle = await client.enqueue(def, { content: "hi" });
    const values: unknown[] = [];
    for await (const value of handle.progress()) values.push(value);
    expect(values).toEqual([50]);
    const types: string[] = [];
    for await (const event of events) {
      types.push(event.type);
      if (event.type === "completed") break;
    }
    expect(types).toEqual(["enqueued", "started", "progress", "completed"]);
  });

  it("enqueues a bulk, with a dependency and a delayed job", async () => {
    const def = job();
    const ran: string[] = [];
    work(def, async (p: Tweet) => (ran.push(p.content), { tweetId: p.content }));
    const [first] = await client.enqueueBulk(def, [{ content: "a" }, { content: "b" }]);
    const later = await client.enqueue(def, { content: "c" }, { dependsOn: [first], delayMs: 50 });
    await later.result({ timeoutMs: 5_000 });
    expect(ran.sort()).toEqual(["a", "b", "c"]);
  });

  it("retries, dead-letters, and retries from the dead-letter queue", async () => {
    const def = job({ attempts: 2 });
    let fail = true;
    work(def, async (p: Tweet, ctx) => {
      if (fail) throw new Error(`boom ${ctx.attempt}`);
      return { tweetId: p.content };
    });
    const handle = await client.enqueue(def, { content: "doomed" });
    const error = await handle.result({ timeoutMs: 5_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.errors.map((e: Error) => e.message)).toEqual(["boom 1", "boom 2"]);
    const dlq = client.deadLetterQueue(def.queue.name);
    expect(await dlq.list()).toHaveLength(1);
    fail = false;
    expect(await dlq.retry([handle.id])).toBe(1);
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "doomed" });
  });

  it("runs rate-limited jobs and refuses a duplicate of a unique one", async () => {
    const def = job({ rateLimit: { perSecond: 100 }, unique: { by: "payload" } });
    work(def, async (p: Tweet) => ({ tweetId: p.content }));
    const a = await client.enqueue(def, { content: "once" });
    const b = await client.enqueue(def, { content: "once" });
    expect(b.id).toBe(a.id);
    expect(await a.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "once" });
  });

  it("cancels and reprioritises waiting jobs", async () => {
    const def = job();
    const a = await client.enqueue(def, { content: "a" });
    const b = await client.enqueue(def, { content: "b" });
    expect(await a.setPriority("high")).toBe(true);
    expect(await b.cancel()).toBe(true);
    expect(await b.state()).toBe("cancelled");
  });

  it("fires schedules with a TaskManager", async () => {
    const def = job();
    const ran: string[] = [];
    const worker = new Worker({
      connection: url,
      queues: [registration(def, async (p: Tweet) => (ran.push(p.content), { tweetId: p.content }))],
      taskManager: false,
    });
    closing.push(worker);
    const manager = new TaskManager({ connection: url, queues: [{ name: def.queue.name }], intervalMs: 20, onError: (e) => errors.push(e) });
    closing.push({ close: () => manager.stop() });
    manager.start();
    const schedule = await client.schedule(def, { everyMs: 50 }, { content: "tick" });
    for (let i = 0; i < 100 && ran.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ran.slice(0, 2)).toEqual(["tick", "tick"]);
    expect(await client.schedules(def.queue.name).list()).toHaveLength(1);
    expect(await schedule.remove()).toBe(true);
  });

  it("shows stats, workers and a job's detail in the QueueInspector, discovering the queues", async () => {
    const def = job();
    work(def, async (p: Tweet) => ({ tweetId: p.content }));
    const handle = await client.enqueue(def, { content: "seen" });
    await handle.result({ timeoutMs: 5_000 });
    const inspector = new QueueInspector({ connection: url });
    closing.push(inspector);
    const stats = (await inspector.stats()).find((s) => s.queue === def.queue.name);
    expect(stats).toMatchObject({ completed: 1, workers: { live: 1, dead: 0 } });
    expect(await inspector.getJob(def.queue.name, handle.id)).toMatchObject({ id: handle.id, state: "completed" });
    expect(await inspector.listJobs(def.queue.name, { state: "completed" })).toHaveLength(1);
  });

  it("asks a replica with WAIT for durable enqueues (none here: refused, not forbidden)", async () => {
    const error = await client.enqueue(job(), { content: "d" }, { durable: { timeoutMs: 20 } }).catch((e) => e);
    expect(error.code).toBe("E_NOT_DURABLE");
  });

  it("cannot touch keys outside the taskq prefix", async () => {
    const error = await client.enqueue(tweetJob("other", { queue: "acl-outside" }), { content: "x" }).catch((e) => e);
    expect(error.message).toMatch(/NOPERM/);
    await admin.call("ACL", "LOG", "RESET");
  });
});
