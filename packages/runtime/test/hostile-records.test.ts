/**
 * Records written straight into Redis by hand or by another program (issue 17, items 7, 8 and 15):
 * garbled counts, names and ids that would split packed fields, escaped prototype keys, job names
 * that are Object.prototype's members, keys of the wrong type (an enqueue refused by one writes nothing:
 * enqueue-all-or-nothing.test.ts). Each is isolated to what it breaks;
 * every other job runs, and nothing is lost or half-written.
 */
import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Type } from "typebox";
import { Client, JobFailedError, TaskManager, Worker, type JobContext } from "../src/index.js";
import { createCodec, defineJob, type Handler, type JobDefinition, type QueueRegistration } from "../src/internal.js";
import { SINGLE, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, useTopology, type Tweet } from "./fixtures.js";

let topo: TestTopology;
let redis: Redis | Cluster;
let client: Client;
const workers = useTopology(SINGLE, (suite) => ({ topo, client, redis } = suite));

function work(queue: QueueRegistration, errors: Error[] = []): Worker {
  const worker = new Worker({ connection: topo.connection, queues: [queue], shutdownTimeoutMs: 2_000, taskManager: false });
  worker.on("error", (e: Error) => errors.push(e));
  workers.push(worker);
  return worker;
}

/** Writes a job by hand as enqueue-8.lua lays it out (record, payload, wait list), then wakes the workers. */
async function writeRaw(prefix: string, id: string, fields: Record<string, string>, payload = '{"content":"raw"}', priority = 2) {
  const base = `${prefix}:{social}:`;
  await redis.hset(`${base}job:${id}`, fields);
  await redis.hset(`${base}data`, id, payload);
  await redis.lpush(`${base}wait:${priority}`, id);
  await redis.zadd(`${base}marker`, 0, "0");
}

async function outcome(prefix: string, id: string): Promise<{ state: string | null; reason?: string }> {
  const [state, error] = await redis.hmget(`${prefix}:{social}:job:${id}`, "s", "e");
  return { state, reason: error ? (JSON.parse(error) as { message: string }).message : undefined };
}

const RECORD = { n: "tweet", p: "2", m: "3", ct: "1" };

describe("garbled records", () => {
  const GARBLED: Array<[string, Record<string, string>, RegExp]> = [
    ["max attempts inf", { ...RECORD, m: "inf" }, /max attempts is not a positive whole number/],
    ["max attempts nan", { ...RECORD, m: "nan" }, /max attempts is not a positive whole number/],
    ["max attempts 1e999", { ...RECORD, m: "1e999" }, /max attempts is not a positive whole number/],
    ["max attempts 0", { ...RECORD, m: "0" }, /max attempts is not a positive whole number/],
    ["attempt count inf", { ...RECORD, a: "inf" }, /attempt count is not a whole number/],
    ["attempt count -1", { ...RECORD, a: "-1" }, /attempt count is not a whole number/],
    ["a name holding | (it split the packed reply)", { ...RECORD, n: "tweet|1|1" }, /job name is not a valid name/],
    ["a version holding |", { ...RECORD, v: "1|2" }, /payload version is not a positive whole number/],
    ["a timeout holding |", { ...RECORD, t: "5|x" }, /timeout is not a number of ms/],
    ["a timeout a timer cannot hold", { ...RECORD, t: "4294967296" }, /timeout is not a number of ms/],
    ["a creation time that is not a number", { ...RECORD, ct: "yesterday" }, /creation time is not a number/],
  ];

  it.each(GARBLED)("dead-letters a record with %s, with the reason, without running it; the queue goes on", async (_what, fields, reason) => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const ran: string[] = [];
    const errors: Error[] = [];
    await writeRaw(prefix, "bad", fields, '{"content":"bad"}');
    work(
      registration(def, async (p: Tweet) => {
        ran.push(p.content);
        if (p.content === "bad") throw new Error("fails");
        return { tweetId: p.content };
      }),
      errors,
    );
    const after = await client.enqueue(def, { content: "after" });
    expect(await after.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "after" });
    await expect.poll(() => outcome(prefix, "bad"), { timeout: 2_000 }).toEqual({ state: "dead", reason: expect.stringMatching(reason) });
    expect(await redis.zrange(`${prefix}:{social}:dead`, "0", "-1")).toEqual(["bad"]);
    expect(ran).toEqual(["after"]);
    expect(errors).toEqual([]);
  });

  it("runs a job whose id holds a |, as attempt 1 of its own max, and completes it under that id", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const seen: Array<Pick<JobContext, "id" | "name" | "attempt">> = [];
    await writeRaw(prefix, "odd|id|7", { ...RECORD, m: "2" }, '{"content":"odd"}');
    work(
      registration(def, async (p: Tweet, ctx) => {
        seen.push({ id: ctx.id, name: ctx.name, attempt: ctx.attempt });
        return { tweetId: p.content };
      }),
    );
    await expect.poll(async () => (await outcome(prefix, "odd|id|7")).state, { timeout: 2_000 }).toBe("completed");
    expect(seen).toEqual([{ id: "odd|id|7", name: "tweet", attempt: 1 }]);
  });
});

describe("prototype keys and names", () => {
  type Note = { text: string; tags?: Record<string, string> };
  const noteJob = (prefix: string, name = "note"): JobDefinition<Note, { ok: boolean }> =>
    defineJob({
      ...tweetJob(prefix),
      name,
      payload: createCodec<Note>(Type.Object({ text: Type.String(), tags: Type.Optional(Type.Record(Type.String(), Type.String())) })),
      result: createCodec<{ ok: boolean }>(Type.Object({ ok: Type.Boolean() })),
    });

  it("hands no own __proto__ or constructor key to a handler when stored JSON spells them with \\u escapes", async () => {
    const prefix = uniquePrefix();
    const def = noteJob(prefix);
    const seen: Note[] = [];
    const escaped = '{"text":"a","\\u005f_proto__":{"polluted":true},"tags":{"c\\u006fnstructor":"x","k":"v","\\u0070rototype":"y"}}';
    await writeRaw(prefix, "esc", { ...RECORD, n: "note" }, escaped);
    work(registration(def, async (p: Note) => (seen.push(p), { ok: true })));
    await expect.poll(async () => (await outcome(prefix, "esc")).state, { timeout: 2_000 }).toBe("completed");
    expect(seen).toHaveLength(1);
    expect(Object.keys(seen[0])).toEqual(["text", "tags"]);
    expect(Object.hasOwn(seen[0], "__proto__")).toBe(false);
    expect(Object.getPrototypeOf(seen[0])).toBe(Object.prototype);
    expect(seen[0].tags).toEqual({ k: "v" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("dead-letters records named __proto__, constructor or toString as unknown jobs, and the worker goes on", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const errors: Error[] = [];
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty"];
    for (const name of names) await writeRaw(prefix, `as-${name}`, { ...RECORD, n: name });
    work(
      registration(def, async (p: Tweet) => ({ tweetId: p.content })),
      errors,
    );
    const after = await client.enqueue(def, { content: "after" });
    expect(await after.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "after" });
    for (const name of names) {
      await expect
        .poll(() => outcome(prefix, `as-${name}`), { timeout: 2_000 })
        .toEqual({ state: "dead", reason: `no handler for job ${JSON.stringify(name)} in queue social` });
    }
    expect(errors).toEqual([]);
  });

  it("runs a job type named __proto__ like any other, its rate limit included", async () => {
    const prefix = uniquePrefix();
    const def = defineJob({ ...noteJob(prefix, "__proto__"), rateLimit: { minIntervalMs: 300 } });
    const started: number[] = [];
    const handler: Handler = async () => (started.push(Date.now()), { ok: true });
    // A computed key: `{ __proto__: … }` in a literal would set the object's prototype instead.
    work({ name: "social", prefix, concurrency: 2, jobs: { ["__proto__"]: { definition: def, handler } } });
    const handles = await client.enqueueBulk(def, [{ text: "a" }, { text: "b" }]);
    for (const handle of handles) expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ ok: true });
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(250);
  });
});

describe("keys of the wrong type", () => {
  it("dead-letters a job whose record is not a hash, and runs the rest", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    await redis.set(`${base}job:str`, "not a hash");
    await redis.lpush(`${base}wait:2`, "str");
    const errors: Error[] = [];
    work(
      registration(def, async (p: Tweet) => ({ tweetId: p.content })),
      errors,
    );
    const after = await client.enqueue(def, { content: "after" });
    expect(await after.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "after" });
    await expect.poll(() => redis.zrange(`${base}dead`, "0", "-1"), { timeout: 2_000 }).toEqual(["str"]);
    const [reason] = await redis.lrange(`${base}errors:str`, 0, -1);
    expect(JSON.parse(reason).message).toMatch(/malformed job record: it is not a hash \(WRONGTYPE/);
    expect(errors).toEqual([]);
    // Retrying it with a job that can run moves that one only; the record that is not a hash stays dead.
    const doomed = await client.enqueue(def, { content: "doomed" }, { delayMs: 60_000 });
    await redis.zrem(`${base}delayed`, doomed.id);
    await redis.hset(`${base}job:${doomed.id}`, "s", "dead");
    await redis.zadd(`${base}dead`, 1, doomed.id);
    expect(await client.deadLetterQueue("social", prefix).retry(["str", doomed.id])).toBe(1);
    expect(await redis.zrange(`${base}dead`, "0", "-1")).toEqual(["str"]);
    expect(await doomed.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "doomed" });
  });

  it("passes over a wait list or delayed index of the wrong type and runs the other priorities, reporting the key once", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    await redis.set(`${base}wait:0`, "not a list");
    await redis.hset(`${base}delayed`, "not", "a zset");
    const errors: Error[] = [];
    work(
      registration(def, async (p: Tweet) => ({ tweetId: p.content })),
      errors,
    );
    for (const priority of ["high", "normal", "batch"] as const) {
      const handle = await client.enqueue(def, { content: priority }, { priority });
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: priority });
    }
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(["E_WRONG_TYPE"]);
    expect(errors[0].message).toMatch(new RegExp(`${base.replace(/[{}]/g, "\\$&")}(wait:0|delayed): WRONGTYPE`));
  });

  it("gives jobs back untouched while the active index is of the wrong type, and runs them once it is fixed", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    await redis.set(`${base}active`, "not a zset");
    const first = await client.enqueue(def, { content: "first" });
    const errors: Error[] = [];
    const ran: string[] = [];
    work(
      registration(def, async (p: Tweet) => (ran.push(p.content), { tweetId: p.content })),
      errors,
    );
    await expect.poll(() => errors.length, { timeout: 2_000 }).toBeGreaterThan(0);
    expect(errors[0].message).toMatch(/active: WRONGTYPE/);
    // Back as it was: a pending job, with no record (its lease's record undone) and its entry whole.
    expect(await redis.exists(`${base}job:${first.id}`)).toBe(0);
    expect((await redis.hget(`${base}data`, first.id))?.startsWith("\x01")).toBe(true);
    expect(await redis.lrange(`${base}wait:2`, 0, -1)).toEqual([first.id]);
    expect(ran).toEqual([]);
    await redis.del(`${base}active`);
    const second = await client.enqueue(def, { content: "second" });
    expect(await second.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "second" });
    expect(await first.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "first" });
  });
});

describe("completions", () => {
  it("completes the rest of a batch when one running job's record was replaced by another type", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    work(
      registration(
        def,
        async (p: Tweet) => {
          started.push(p.content);
          await gate;
          return { tweetId: p.content };
        },
        2,
      ),
    );
    const [victim, other] = await client.enqueueBulk(def, [{ content: "victim" }, { content: "other" }]);
    await expect.poll(() => started.length, { timeout: 3_000 }).toBe(2);
    await redis.set(`${prefix}:{social}:job:${victim.id}`, "replaced");
    release();
    expect(await other.result({ timeoutMs: 3_000 })).toEqual({ tweetId: "other" });
  });
});

describe("garbled data around ended jobs and schedules", () => {
  it("runs a child whose record has a garbled priority once its parent completes (as normal)", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const parent = await client.enqueue(def, { content: "parent" });
    const child = await client.enqueue(def, { content: "child" }, { dependsOn: [parent] });
    await redis.hset(`${prefix}:{social}:job:${child.id}`, "p", "urgent");
    work(registration(def, async (p: Tweet) => ({ tweetId: p.content })));
    expect(await child.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "child" });
  });

  it("rejects result() of a dead job with JobFailedError even when an error entry is not JSON", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix, { attempts: 1 });
    const handle = await client.enqueue(def, { content: "doomed" });
    work(
      registration(def, async () => {
        throw new Error("it failed");
      }),
    );
    await expect(handle.result({ timeoutMs: 5_000 })).rejects.toBeInstanceOf(JobFailedError);
    await redis.lpush(`${prefix}:{social}:errors:${handle.id}`, "{not json");
    const error = await handle.result({ timeoutMs: 1_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.errors.map((e: { name: string }) => e.name)).toEqual(["UnreadableError", "Error"]);
    expect(error.message).toMatch(/it failed$/);
  });

  it("fires the other schedules, of its queue and of the next, when one stored schedule is corrupt, and reports it", async () => {
    const prefix = uniquePrefix();
    const social = tweetJob(prefix);
    const other = tweetJob(prefix, { queue: "other" });
    const bad = await client.schedule(social, { everyMs: 50 }, { content: "bad" });
    const good = await client.schedule(social, { everyMs: 50 }, { content: "good" });
    const next = await client.schedule(other, { everyMs: 50 }, { content: "next" });
    await redis.hset(`${prefix}:{social}:schedules`, bad.id, "{not json");
    const errors: Error[] = [];
    const manager = new TaskManager({
      connection: topo.connection,
      queues: [
        { name: "social", prefix },
        { name: "other", prefix },
      ],
      intervalMs: 20,
      onError: (e) => errors.push(e),
    });
    manager.start();
    try {
      const fired = async (queue: string, id: string) => (await redis.keys(`${prefix}:{${queue}}:job:s:${id}:*`)).length;
      await expect.poll(async () => Math.min(await fired("social", good.id), await fired("other", next.id)), { timeout: 3_000 }).toBeGreaterThanOrEqual(2);
      expect(await fired("social", bad.id)).toBe(0);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0].message).toMatch(new RegExp(`queue social: 1 schedule\\(s\\) cannot fire, tried again in 60 s: ${bad.id}: `));
      const due = Number(await redis.zscore(`${prefix}:{social}:schedule-due`, bad.id));
      expect(due - Date.now()).toBeGreaterThan(50_000);
    } finally {
      await manager.stop();
    }
  });
});
