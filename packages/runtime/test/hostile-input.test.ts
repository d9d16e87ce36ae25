import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Type } from "typebox";
import { Client, ConfigError, DecodeError, ValidationError, Worker } from "../src/index.js";
import { createCodec, defineJob, IsoDate, type Codec, type Handler, type JobDefinition } from "../src/internal.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix, type Tweet } from "./fixtures.js";

/** A job whose payload is free-form: a blob, an optional date (a TypeBox codec) and a record. */
type Note = { text: string; at?: Date; tags?: Record<string, string> };
function noteJob(prefix: string): JobDefinition<Note, { ok: boolean }> {
  const payload = Type.Object({ text: Type.String(), at: Type.Optional(IsoDate()), tags: Type.Optional(Type.Record(Type.String(), Type.String())) });
  return defineJob({
    ...tweetJob(prefix),
    name: "note",
    payload: createCodec<Note>(payload),
    result: createCodec<{ ok: boolean }>(Type.Object({ ok: Type.Boolean() })),
  });
}

const PROTO_PAYLOAD = '{"text":"a","__proto__":{"polluted":true}}';
const CONSTRUCTOR_PAYLOAD = '{"text":"b","constructor":{"prototype":{"polluted":true}}}';
const SECRET = "s3cr3t-api-key-0123456789";

/** True when anything reached Object.prototype. */
function polluted(): boolean {
  return "polluted" in Object.prototype || (Object.prototype as Record<string, unknown>).polluted !== undefined;
}

describe("hostile input", () => {
  let server: TestRedis;
  let redis: Redis;
  let client: Client;
  const workers: Worker[] = [];

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    client = new Client({ connection: server.url });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    expect(polluted()).toBe(false);
  });
  afterAll(async () => {
    await client.close();
    redis.disconnect();
    await server.stop();
  });

  function work(definition: JobDefinition<any, any>, handler: Handler, errors: Error[] = []): Worker {
    const worker = new Worker({ connection: server.url, queues: [registration(definition, handler)], shutdownTimeoutMs: 2_000 });
    worker.on("error", (e: Error) => errors.push(e));
    workers.push(worker);
    return worker;
  }

  const keysOf = (prefix: string) => redis.keys(`${prefix}:*`);

  /** Writes a job by hand the way enqueue-8.lua lays it out (record, payload, wait list), then wakes the workers. */
  async function writeRaw(prefix: string, id: string, fields: Record<string, string> | undefined, payload: string | undefined) {
    const base = `${prefix}:{social}:`;
    if (fields) await redis.hset(`${base}job:${id}`, fields);
    if (payload !== undefined) await redis.hset(`${base}data`, id, payload);
    await redis.lpush(`${base}wait:2`, id);
    await redis.zadd(`${base}marker`, 0, "0");
  }

  /** The state of a hand-written job and the reason it was dead-lettered with. */
  async function outcome(prefix: string, id: string): Promise<{ state: string | null; reason?: string }> {
    const [state, error] = await redis.hmget(`${prefix}:{social}:job:${id}`, "s", "e");
    return { state, reason: error ? (JSON.parse(error) as { message: string }).message : undefined };
  }

  describe("payload size", () => {
    it("refuses a payload over the default 1 MiB with a typed error, and writes nothing", async () => {
      const prefix = uniquePrefix();
      const text = SECRET + "x".repeat(1024 * 1024);
      const error = await client.enqueue(noteJob(prefix), { text }).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.code).toBe("E_VALIDATION");
      expect(error.issues).toEqual([expect.objectContaining({ rule: "maxPayloadBytes" })]);
      expect(error.message).not.toContain(SECRET);
      expect(await keysOf(prefix)).toEqual([]);
    });

    it("accepts a payload just under the limit", async () => {
      const text = "x".repeat(1024 * 1024 - '{"text":""}'.length);
      await expect(client.enqueue(noteJob(uniquePrefix()), { text })).resolves.toMatchObject({ name: "note" });
    });

    it("refuses a whole bulk when one item is over maxPayloadBytes, naming the item", async () => {
      const small = new Client({ connection: server.url, maxPayloadBytes: 1_000 });
      const prefix = uniquePrefix();
      const error = await small.enqueueBulk(noteJob(prefix), [{ text: "ok" }, { text: "y".repeat(2_000) }]).catch((e) => e);
      await small.close();
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.index).toBe(1);
      expect(await keysOf(prefix)).toEqual([]);
    });
  });

  describe("names", () => {
    const BAD = ["", "a b", "x".repeat(65), "{social}", "a:b", "a*", "é", "a\nb", "__proto__ "];

    it.each(BAD.map((name) => [JSON.stringify(name).slice(0, 20), name]))("refuses queue and job name %s, and writes nothing", async (_label, name) => {
      const prefix = uniquePrefix();
      // A queue name is refused where the queue is declared (defineQueue), a job name at the enqueue: either way before anything is written.
      for (const def of [() => tweetJob(prefix, { queue: name }), () => tweetJob(prefix, { name })]) {
        const error = await (async () => client.enqueue(def(), { content: "hi" }))().catch((e) => e);
        expect(error).toBeInstanceOf(ConfigError);
        expect(error.message).toMatch(/invalid (queue|job) name .*: use 1 to 64 of A-Z a-z 0-9 \. _ -/);
      }
      expect(await keysOf(prefix)).toEqual([]);
    });

    it("quotes at most 80 characters of a refused name, queue, job or jobId", async () => {
      const huge = "q".repeat(100_000);
      const errors = [
        await (async () => client.enqueue(tweetJob(uniquePrefix(), { queue: huge }), { content: "hi" }))().catch((e) => e),
        await (async () => client.enqueue(tweetJob(uniquePrefix(), { name: huge }), { content: "hi" }))().catch((e) => e),
      ];
      for (const error of errors) {
        expect(error).toBeInstanceOf(ConfigError);
        expect(error.message).toContain(`"${"q".repeat(80)}…"`);
        expect(error.message.length).toBeLessThan(160);
      }
      // An option is named by its path and rule, never quoted.
      const jobIdError = await client.enqueue(tweetJob(uniquePrefix()), { content: "hi" }, { jobId: huge }).catch((e) => e);
      expect(jobIdError).toBeInstanceOf(ValidationError);
      expect(jobIdError.message).toMatch(/\/jobId: pattern/);
      expect(jobIdError.message).not.toContain("qqq");
    });

    it("describes a name that is not a string by its type", async () => {
      const error = await (async () => client.enqueue(tweetJob(uniquePrefix(), { queue: 42 as any }), { content: "hi" }))().catch((e) => e);
      expect(error.message).toMatch(/invalid queue name \(a number, not a string\)/);
    });
  });

  describe("prototype pollution", () => {
    it("enqueues objects made by JSON.parse with __proto__ and constructor keys without polluting the producer", async () => {
      const def = noteJob(uniquePrefix());
      for (const json of [PROTO_PAYLOAD, CONSTRUCTOR_PAYLOAD]) {
        await client.enqueue(def, JSON.parse(json));
        // With a TypeBox codec in the schema (`at`), encoding clones the payload first.
        await client.enqueue(def, { ...JSON.parse(json), at: new Date(0) });
      }
      expect(polluted()).toBe(false);
    });

    it("hands the worker payloads without those keys, whether enqueued or written straight into Redis", async () => {
      const prefix = uniquePrefix();
      const def = noteJob(prefix);
      const seen: Note[] = [];
      await writeRaw(prefix, "raw1", { n: "note", p: "2", m: "3", ct: "1", s: "waiting" }, PROTO_PAYLOAD);
      await writeRaw(prefix, "raw2", { n: "note", p: "2", m: "3", ct: "1", s: "waiting" }, CONSTRUCTOR_PAYLOAD.replace("}}}", '}},"tags":{"__proto__":"x"}}'));
      const handles = [await client.enqueue(def, JSON.parse(PROTO_PAYLOAD)), await client.enqueue(def, JSON.parse(CONSTRUCTOR_PAYLOAD))];
      work(def, async (p: Note) => (seen.push(p), { ok: true }));
      for (const h of handles) await h.result({ timeoutMs: 5_000 });
      for (const id of ["raw1", "raw2"]) await expect.poll(async () => (await outcome(prefix, id)).state).toBe("completed");
      expect(seen).toHaveLength(4);
      for (const payload of seen) {
        expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
        expect(Object.keys(payload).filter((k) => k === "__proto__" || k === "constructor")).toEqual([]);
        expect((payload as Record<string, unknown>).polluted).toBeUndefined();
      }
      expect(polluted()).toBe(false);
    });
  });

  describe("malformed job records in Redis", () => {
    const record = { n: "tweet", p: "2", m: "3", ct: "1", s: "waiting" };

    /** Writes job `bad`, runs a worker, and checks it completes good jobs before and after it. */
    async function runAround(fields: Record<string, string> | undefined, payload: string | undefined, handler?: Handler) {
      const prefix = uniquePrefix();
      const def = tweetJob(prefix);
      const errors: Error[] = [];
      await writeRaw(prefix, "bad", fields, payload);
      const before = await client.enqueue(def, { content: "before" });
      work(def, handler ?? (async (p: Tweet) => ({ tweetId: p.content })), errors);
      expect(await before.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "before" });
      const after = await client.enqueue(def, { content: "after" });
      expect(await after.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "after" });
      return { prefix, errors };
    }

    const DEAD: Array<[string, Record<string, string>, string | undefined, RegExp]> = [
      ["a payload that is not JSON", record, `{not json ${SECRET}${"x".repeat(10_000)}`, /payload of tweet does not decode: not JSON/],
      ["a missing payload", record, undefined, /payload of tweet does not decode: not JSON/],
      ["an unknown job name", { ...record, n: "nosuchjob" }, '{"content":"x"}', /no handler for job "nosuchjob"/],
      ["a payload against the schema", record, `{"content":"${"x".repeat(300)}"}`, /does not match its schema: \/content: maxLength/],
    ];
    it.each(DEAD)("dead-letters a job with %s, with its reason, and the worker goes on", async (_what, fields, payload, reason) => {
      const { prefix, errors } = await runAround(fields, payload);
      await expect.poll(() => outcome(prefix, "bad")).toMatchObject({ state: "dead", reason: expect.stringMatching(reason) });
      expect(await redis.zrange(`${prefix}:{social}:dead`, "0", "-1")).toEqual(["bad"]);
      expect(errors).toEqual([]);
    });

    it("quotes no more than a short excerpt of a stored payload that is not JSON", async () => {
      const { prefix } = await runAround(record, `${"x".repeat(30)}${SECRET}`);
      await expect.poll(async () => (await outcome(prefix, "bad")).state).toBe("dead");
      const { reason } = await outcome(prefix, "bad");
      expect(reason).not.toContain(SECRET);
      expect(reason!.length).toBeLessThan(200);
    });

    it("runs a job whose record lacks its max attempts, and dead-letters it after one failed run", async () => {
      const { prefix, errors } = await runAround({ n: "tweet", p: "2", ct: "1", s: "waiting" }, '{"content":"bad"}', async (p: Tweet) => {
        if (p.content === "bad") throw new Error("fails");
        return { tweetId: p.content };
      });
      await expect.poll(() => outcome(prefix, "bad")).toMatchObject({ state: "dead", reason: "fails" });
      expect(errors).toEqual([]);
    });

    // Records a worker cannot run as they are: dead-lettered by the fetch script with the reason, or
    // (no priority) served as normal, never lost and never stalling the fetch of other jobs.
    it("dead-letters a job whose attempt count is not a number", async () => {
      const { prefix } = await runAround({ ...record, a: "many" }, '{"content":"x"}');
      await expect.poll(() => outcome(prefix, "bad"), { timeout: 1_000 }).toMatchObject({ state: "dead" });
    });

    it("dead-letters a job whose record has no name", async () => {
      const { prefix } = await runAround({ p: "2", m: "3", ct: "1", s: "waiting" }, '{"content":"x"}');
      await expect.poll(() => outcome(prefix, "bad"), { timeout: 1_000 }).toMatchObject({ state: "dead" });
    });

    it("dead-letters a failing job whose max attempts is not a number", async () => {
      const { prefix } = await runAround({ ...record, m: "lots" }, '{"content":"bad"}', async (p: Tweet) => {
        if (p.content === "bad") throw new Error("fails");
        return { tweetId: p.content };
      });
      await expect.poll(() => outcome(prefix, "bad"), { timeout: 1_500 }).toMatchObject({ state: "dead" });
    });

    it("retries a failing job whose record has no priority", async () => {
      const { prefix } = await runAround({ n: "tweet", m: "3", ct: "1", s: "waiting" }, '{"content":"bad"}', async (p: Tweet) => {
        if (p.content === "bad") throw new Error("fails");
        return { tweetId: p.content };
      });
      await expect.poll(() => outcome(prefix, "bad"), { timeout: 1_500 }).toMatchObject({ state: "dead" });
    });
  });

  describe("error messages", () => {
    it("name paths and rules, never the values, in a ValidationError", async () => {
      const strict = Type.Object(
        {
          s: Type.String({ maxLength: 3 }),
          p: Type.String({ pattern: "^[a-z]+$" }),
          f: Type.String({ format: "email" }),
          l: Type.Literal("x"),
          n: Type.Number({ maximum: 1 }),
        },
        { additionalProperties: false },
      );
      const codec: Codec<unknown> = createCodec<unknown>(strict);
      const error = (() => {
        try {
          codec.assert({ s: SECRET, p: SECRET, f: SECRET, l: SECRET, n: 123456789 }, "payload of probe");
        } catch (e) {
          return e as ValidationError;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect(error!.message).toMatch(/\/s: maxLength/);
      expect(error!.message).not.toContain(SECRET);
      expect(error!.message).not.toContain("123456789");
    });

    it("cut a path that holds a payload's own key", () => {
      const codec: Codec<unknown> = createCodec<unknown>(Type.Record(Type.String(), Type.Number()));
      const hostile = { [`${SECRET}${"k".repeat(5_000)}`]: "not a number" };
      const error = (() => {
        try {
          codec.assert(hostile, "payload of probe");
        } catch (e) {
          return e as ValidationError;
        }
      })();
      expect(error!.issues[0].path.length).toBeGreaterThan(5_000); // the issue itself keeps the whole path
      expect(error!.message).toMatch(/^invalid payload of probe: \/s3cr3t-api-key-0123456789k+…: type/);
      expect(error!.message.length).toBeLessThan(200);
      expect(() => codec.decode(JSON.stringify(hostile))).toThrow(DecodeError);
      expect(() => codec.decode(JSON.stringify(hostile))).toThrow(/^does not match its schema: .{81}: type/);
    });

    it("list at most 10 issues", () => {
      const issues = Array.from({ length: 25 }, (_, i) => ({ path: `/items/${i}`, rule: "type", message: "must be string" }));
      const error = new ValidationError("payload of probe", issues);
      expect(error.message).toMatch(/\/items\/9: type \(must be string\); and 15 more$/);
      expect(error.message).not.toContain("/items/10");
    });
  });
});
