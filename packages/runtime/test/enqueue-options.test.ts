/**
 * Enqueue options from a hostile or careless caller (issue 17, items 6, 10 and 13): every option is
 * checked by one schema before anything is written, on the client and so on the REST API; explicit
 * ids cannot take taskq's own; prefixes are names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client, ConfigError, Monitor, TaskManager, ValidationError, Worker, type EnqueueOptions } from "../src/index.js";
import { QueueInspector } from "../src/admin/index.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix, type Tweet } from "./fixtures.js";

let server: TestRedis;
let redis: Redis;
let client: Client;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  client = new Client({ connection: server.url });
});
afterAll(async () => {
  await client.close();
  redis.disconnect();
  await server.stop();
});

const keysOf = (prefix: string) => redis.keys(`${prefix}:*`);

describe("enqueue options", () => {
  const BAD: Array<[string, EnqueueOptions, string, string]> = [
    ["a timeout a timer cannot hold (it would fire at once)", { timeoutMs: 2 ** 31 }, "/timeoutMs", "maximum"],
    ["a negative timeout", { timeoutMs: -1 }, "/timeoutMs", "exclusiveMinimum"],
    ["a zero timeout", { timeoutMs: 0 }, "/timeoutMs", "exclusiveMinimum"],
    ["a NaN timeout", { timeoutMs: Number.NaN }, "/timeoutMs", "type"],
    ["a timeout given as text with a |", { timeoutMs: "5|6" as never }, "/timeoutMs", "type"],
    ["an invalid runAt (it would run at once)", { runAt: new Date("not a date") }, "/runAt", "date"],
    ["a runAt that is not a Date", { runAt: "2030-01-01T00:00:00Z" as never }, "/runAt", "date"],
    ["an infinite delay (it would wait for ever)", { delayMs: Number.POSITIVE_INFINITY }, "/delayMs", "type"],
    ["a negative delay", { delayMs: -5 }, "/delayMs", "minimum"],
    ["fractional attempts", { attempts: 2.5 }, "/attempts", "type"],
    ["zero attempts", { attempts: 0 }, "/attempts", "minimum"],
    ["infinite attempts", { attempts: Number.POSITIVE_INFINITY }, "/attempts", "type"],
    ["attempts over the bound", { attempts: 1_000_001 }, "/attempts", "maximum"],
    ["a priority with a |", { priority: "high|x" as never }, "/priority", "enum"],
    ["a parent failure policy with a | (it shifted the packed fields)", { onParentFailure: "fail|0|0" as never }, "/onParentFailure", "enum"],
    ["a jobId with a |", { jobId: "a|b" }, "/jobId", "pattern"],
    ["a jobId that takes over a schedule's firing", { jobId: "s:daily-abc:1700000000000" }, "/jobId", "reserved"],
    ["a jobId of digits only", { jobId: "42" }, "/jobId", "reserved"],
    ["a parent id with a comma", { dependsOn: ["a,b"] }, "/dependsOn/0", "pattern"],
    ["durable with no replica", { durable: { replicas: 0 } }, "/durable/replicas", "minimum"],
    ["an unknown option (BullMQ's `delay`)", { delay: 1_000 } as never, "/delay", "unknown"],
  ];

  it.each(BAD)("refuses %s with a ValidationError naming it, and writes nothing", async (_what, options, path, rule) => {
    const prefix = uniquePrefix();
    const error = await client.enqueue(tweetJob(prefix), { content: "hi" }, options).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe("E_VALIDATION");
    expect(error.message).toMatch(/^invalid enqueue options of tweet: /);
    expect(error.issues).toContainEqual(expect.objectContaining({ path, rule }));
    expect(await keysOf(prefix)).toEqual([]);
  });

  it("refuses a whole bulk for one bad item, naming the item, and writes nothing", async () => {
    const prefix = uniquePrefix();
    const error = await client
      .enqueueBulk(tweetJob(prefix), [{ content: "a" }, { payload: { content: "b" }, options: { timeoutMs: 2 ** 40 } }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.index).toBe(1);
    expect(error.message).toMatch(/\(item 1\): \/timeoutMs: maximum/);
    expect(await keysOf(prefix)).toEqual([]);
  });

  it("refuses a schedule's bad options before anything is written", async () => {
    const prefix = uniquePrefix();
    const error = await client.schedule(tweetJob(prefix), { everyMs: 1_000 }, { content: "hi" }, { attempts: Number.NaN }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toContainEqual(expect.objectContaining({ path: "/attempts" }));
    expect(await keysOf(prefix)).toEqual([]);
  });

  it("accepts the bounds themselves, and a job with the longest timeout runs rather than timing out at once", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const runAt = new Date(Date.now() - 1_000);
    const handle = await client.enqueue(def, { content: "long" }, { timeoutMs: 2 ** 31 - 1, attempts: 1_000_000, delayMs: 0, runAt });
    expect(await redis.hmget(`${prefix}:{social}:job:${handle.id}`, "t", "m")).toEqual([String(2 ** 31 - 1), "1000000"]);
    const worker = new Worker({
      connection: server.url,
      queues: [
        registration(def, async (p: Tweet, ctx) => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (ctx.signal.aborted) throw new Error("aborted");
          return { tweetId: p.content };
        }),
      ],
      taskManager: false,
    });
    try {
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "long" });
    } finally {
      await worker.close();
    }
  });

  it("refuses a job type whose own options are out of those bounds, in the client and the worker", async () => {
    for (const overrides of [{ timeoutMs: 2 ** 31 }, { attempts: Number.POSITIVE_INFINITY }, { attempts: 0 }, { version: 1.5 }]) {
      const prefix = uniquePrefix();
      const def = tweetJob(prefix, overrides);
      await expect(client.enqueue(def, { content: "hi" }), JSON.stringify(overrides)).rejects.toThrow(
        /^job type "tweet": (timeoutMs|attempts|version) must be/,
      );
      expect(() => new Worker({ connection: server.url, queues: [registration(def, async () => ({ tweetId: "x" }))], autostart: false })).toThrow(ConfigError);
      expect(await keysOf(prefix)).toEqual([]);
    }
  });

  it("refuses a jobId naming a schedule's next firing, so the tick runs the schedule's own payload", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const schedule = await client.schedule(def, { everyMs: 60_000 }, { content: "scheduled" });
    const [info] = await client.schedules("social", prefix).list();
    const tickId = `s:${schedule.id}:${info.nextAt!.getTime()}`;
    const error = await client.enqueue(def, { content: "attacker" }, { jobId: tickId }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toEqual([expect.objectContaining({ path: "/jobId", rule: "reserved" })]);
    expect(await redis.exists(`${prefix}:{social}:job:${tickId}`)).toBe(0);
  });
});

describe("prefixes", () => {
  const BAD_PREFIXES = ["evil}:{x", "evil:x", "", "a b", "x".repeat(65)];

  it.each(BAD_PREFIXES.map((p) => [JSON.stringify(p).slice(0, 20), p]))(
    "refuses prefix %s everywhere one is given, and writes nothing",
    async (_label, prefix) => {
      // defineQueue (what generated code calls) refuses it; a definition made by hand past it is refused
      // by everything that takes one all the same.
      expect(() => tweetJob(prefix)).toThrow(/invalid prefix name/);
      const def = { ...tweetJob(uniquePrefix()), queue: { name: "social", prefix } };
      const before = await redis.dbsize();
      await expect(client.enqueue(def, { content: "hi" })).rejects.toThrow(/invalid prefix name/);
      await expect(client.schedule(def, { everyMs: 1_000 }, { content: "hi" })).rejects.toBeInstanceOf(ConfigError);
      expect(() => client.deadLetterQueue("social", prefix)).toThrow(ConfigError);
      expect(() => client.schedules("social", prefix)).toThrow(ConfigError);
      const handler = async () => ({ tweetId: "x" });
      expect(() => new Worker({ connection: server.url, queues: [registration(def, handler)], autostart: false })).toThrow(/invalid prefix name/);
      expect(() => new TaskManager({ connection: server.url, queues: [{ name: "social", prefix }] })).toThrow(ConfigError);
      expect(() => new Monitor({ connection: server.url, queues: [{ name: "social", prefix }] })).toThrow(ConfigError);
      expect(() => new QueueInspector({ connection: server.url, prefix })).toThrow(ConfigError);
      expect(() => new QueueInspector({ connection: server.url, queues: [{ name: "social", prefix }] })).toThrow(ConfigError);
      expect(await redis.dbsize()).toBe(before);
    },
  );
});

describe("REST enqueue", () => {
  let api: ApiServer;
  let base: string;
  let prefix: string;

  beforeAll(async () => {
    prefix = uniquePrefix();
    api = await createApiServer({ connection: server.url, definitions: { tweet: tweetJob(prefix) }, tokens: { admin: "admin", read: "read" } });
    base = `http://127.0.0.1:${await api.listen({ port: 0, host: "127.0.0.1" })}`;
  });
  afterAll(async () => {
    await api.close();
  });

  async function post(body: unknown) {
    const response = await fetch(`${base}/jobs`, {
      method: "POST",
      headers: { authorization: "Bearer admin", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error: string; details: unknown } };
  }

  it("answers 400 for out-of-bounds options and reserved ids, and writes nothing", async () => {
    for (const options of [{ timeoutMs: 2 ** 31 }, { attempts: 10_000_000 }, { jobId: "s:tick:1" }, { runAt: "2030-02-30T00:00:00Z" }]) {
      const reply = await post({ name: "tweet", payload: { content: "hi" }, options });
      expect(reply.status, JSON.stringify(options)).toBe(400);
    }
    expect(await keysOf(prefix)).toEqual([]);
  });

  it("knows no job named __proto__ or constructor (not Object.prototype's members)", async () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const reply = await post({ name, payload: {} });
      expect(reply.status, name).toBe(400);
      expect(reply.body.error).toBe(`unknown job ${JSON.stringify(name)}`);
    }
  });
});
