/**
 * An enqueue writes all its jobs or none: a call refused by a key of the wrong type (hand-written
 * data, another program's key) leaves Redis exactly as it was, the id counter included, whether the
 * script checked types first (explicit ids, unique keys, parents) or took back what it had written
 * (a plain enqueue). On a real redis-server; tests compare a snapshot of every key of their prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client } from "../src/index.js";
import { queueKeys } from "../src/redis/keys.js";
import { enqueueJobs } from "../src/store/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { tweetJob, uniquePrefix } from "./fixtures.js";

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

describe("enqueue writes all or nothing", () => {
  it("refuses a bulk whose wait list is of the wrong type, leaving no record behind", async () => {
    const prefix = uniquePrefix();
    const base = `${prefix}:{social}:`;
    await redis.set(`${base}wait:2`, "not a list");
    const error = await client.enqueueBulk(tweetJob(prefix), [{ content: "a" }, { content: "b" }, { content: "c" }]).catch((e) => e);
    expect(error.message).toMatch(/enqueue refused, nothing written: key .*wait:2 holds a string, not a list/);
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual([`${base}wait:2`]);
  });

  // A plain enqueue (counted ids, no unique key, no parents) checks no type before writing: it takes
  // back what it wrote when a later write meets a key of the wrong type. Each key below fails a
  // different write: the payloads, the marker (the last), the delayed index, a job's own record
  // (a delayed job has one from the start; a waiting one only from its first lease).
  it.each([
    ["data", "hash", {}],
    ["marker", "zset", {}],
    ["delayed", "zset", { delayMs: 60_000 }],
    ["job:5", "hash", { delayMs: 60_000 }],
  ])("refuses a plain bulk when %s is of the wrong type, leaving everything as it was, the id counter too", async (key, expected, options) => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    const [first] = await client.enqueueBulk(def, [{ content: "before" }, { payload: { content: "later" }, options: { delayMs: 60_000 } }]);
    await redis.set(`${base}${key}`, "not a " + expected);
    const before = await snapshot(prefix);
    const items = ["a", "b", "c", "d"].map((content) => ({ payload: { content }, options }));
    const error = await client.enqueueBulk(def, items).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`enqueue refused, nothing written: key ${base}${key} holds a string, not a ${expected}`);
    expect(await snapshot(prefix)).toEqual(before);
    // The next enqueue takes the next id, as if the refused call never ran.
    await redis.del(`${base}${key}`);
    const [next] = await client.enqueueBulk(def, [{ content: "after" }]);
    expect(Number(next.id)).toBe(Number(first.id) + 2);
  });

  // A plain single enqueue runs enqueue-plain-4.lua, which takes its writes back the same way.
  it.each([
    ["seq", "counter"],
    ["data", "hash"],
    ["wait:2", "list"],
    ["marker", "zset"],
  ])("refuses a plain single enqueue when %s is of the wrong type, leaving everything as it was", async (key, expected) => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    const first = await client.enqueue(def, { content: "before" });
    await client.handle(def, first.id).cancel();
    await redis.set(`${base}${key}`, key === "seq" ? "not a number" : "not a " + expected);
    const before = await snapshot(prefix);
    const error = await client.enqueue(def, { content: "a" }).catch((e: Error) => e);
    expect((error as Error).message).toContain(
      key === "seq" ? `key ${base}seq does not hold a counter` : `enqueue refused, nothing written: key ${base}${key} holds a string, not a ${expected}`,
    );
    expect(await snapshot(prefix)).toEqual(before);
  });

  it("refuses a plain single enqueue on a fresh queue whose wait list is of the wrong type, leaving no counter behind", async () => {
    const prefix = uniquePrefix();
    const base = `${prefix}:{social}:`;
    await redis.set(`${base}wait:2`, "not a list");
    const error = await client.enqueue(tweetJob(prefix), { content: "a" }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/enqueue refused, nothing written: key .*wait:2 holds a string, not a list/);
    expect(await redis.keys(`${prefix}:*`)).toEqual([`${base}wait:2`]);
  });

  it("refuses a job whose parent's children set is of the wrong type, leaving no record behind", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    const parent = await client.enqueue(def, { content: "parent" });
    await redis.set(`${base}children:${parent.id}`, "not a set");
    const before = (await redis.keys(`${prefix}:*`)).sort();
    const error = await client.enqueueBulk(def, [{ content: "free" }, { payload: { content: "child" }, options: { dependsOn: [parent.id] } }]).catch((e) => e);
    expect(error.message).toMatch(/children:.* holds a string, not a set/);
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual(before);
    expect(await redis.hlen(`${base}data`)).toBe(1);
  });

  it("checks every job's arguments before its first write: a malformed second job leaves no first record", async () => {
    const prefix = uniquePrefix();
    const keys = queueKeys(prefix, "social");
    // version|priority|maxAttempts|timeoutMs|runAtMs|delayMs|unique|uniqueTtl|parents|policy|trace|group
    const good = "1|2|3|||||0||fail||";
    const MALFORMED = [
      "1|2|3|||abc||0||fail||", // delayMs not a number (it failed on arithmetic after the first record)
      "1|2|inf|||||0||fail||", // max attempts inf
      "1|9|3|||||0||fail||", // priority out of range
      "1|2|3|2147483648||||0||fail||", // a timeout a timer cannot hold
      "1|2|3|||||0||maybe||", // policy
      "1|2|3|||||0|a;b|fail||", // parents that are not ids
      `1|2|3|||||0||fail|${"x".repeat(1025)}|`, // a trace context over 1 KiB
      "1|2|3|||||0||fail|", // the 11 fields of before trace contexts
      "1|2|3",
    ];
    for (const bad of MALFORMED) {
      const error = (await enqueueJobs(redis, { keys, args: [keys.base, 2, "", "tweet", "{}", good, "", "tweet", "{}", bad] }).catch((e: Error) => e)) as Error;
      expect(error, bad).toBeInstanceOf(Error);
      expect(error.message).toMatch(/taskq: enqueue of job 2 refused, nothing written/);
    }
    for (const [id, name] of [
      ["a|b", "tweet"],
      ["", "tw|eet"],
      ["", "__proto__ "],
    ]) {
      const error = (await enqueueJobs(redis, { keys, args: [keys.base, 2, "", "tweet", "{}", good, id, name, "{}", good] }).catch((e: Error) => e)) as Error;
      expect(error.message, `${id} ${name}`).toMatch(/taskq: enqueue of job 2 refused, nothing written: its (id|name) is not a job/);
    }
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it("refuses a lone job whose fields are malformed with the reason, nothing written (enqueue-plain-4.lua takes only checked fields)", async () => {
    const prefix = uniquePrefix();
    const keys = queueKeys(prefix, "social");
    // version|priority|maxAttempts|timeoutMs|runAtMs|delayMs|unique|uniqueTtl|parents|policy|trace|group
    const MALFORMED: Array<[string, string, RegExp]> = [
      ["tweet", "1|2|inf|||||0||fail||", /max attempts/],
      ["tweet", "1|2|0|||||0||fail||", /max attempts/],
      ["tweet", "1|9|3|||||0||fail||", /priority/],
      ["tweet", "1|2|3|2147483648||||0||fail||", /timeout/],
      ["tweet", "0|2|3|||||0||fail||", /version/],
      ["tweet", "1.5|2|3|||||0||fail||", /version/],
      ["bad name", "1|2|3|||||0||fail||", /name/],
      ["x".repeat(65), "1|2|3|||||0||fail||", /name/],
    ];
    for (const [name, bad, reason] of MALFORMED) {
      const error = (await enqueueJobs(redis, { keys, args: [keys.base, 1, "", name, "{}", bad] }).catch((e: Error) => e)) as Error;
      expect(error, `${name} ${bad}`).toBeInstanceOf(Error);
      expect(error.message, `${name} ${bad}`).toMatch(/taskq: enqueue of job 1 refused, nothing written/);
      expect(error.message, `${name} ${bad}`).toMatch(reason);
    }
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    // The same fields well formed go through, as a plain job.
    const reply = await enqueueJobs(redis, { keys, args: [keys.base, 1, "", "tweet", "{}", "1|2|3|1000||||0||fail||"] });
    expect(reply.ids).toEqual(["1"]);
    expect(await redis.hget(`${keys.base}data`, "1")).toMatch(/^\x01\d+\|tweet\|2\|3\|\|1000\n\{\}$/);
  });
});

/** Every key of a prefix with its type and whole content, to compare before and after a refused call. */
async function snapshot(prefix: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await redis.keys(`${prefix}:*`)).sort()) {
    const type = await redis.type(key);
    out[key] =
      type === "string"
        ? await redis.get(key)
        : type === "hash"
          ? await redis.hgetall(key)
          : type === "list"
            ? await redis.lrange(key, 0, -1)
            : type === "zset"
              ? await redis.zrange(key, "0", "-1", "WITHSCORES")
              : type === "set"
                ? (await redis.smembers(key)).sort()
                : type;
  }
  return out;
}
