import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Packr } from "msgpackr";
import { Type } from "typebox";
import { Client, JobFailedError, ValidationError, Worker } from "../src/index.js";
import { createCodec, defineJob, IsoDate, type Handler, type JobDefinition, type QueueDefinition } from "../src/internal.js";
import { QueueInspector } from "../src/admin/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { CLUSTER } from "../../../test/support/topology.js";
import { registration, replaceStoredPayload, testQueue, tweetJob, uniquePrefix, type Tweet } from "./fixtures.js";
import { payloadOfEntry } from "../src/store/index.js";

type Storage = Pick<QueueDefinition, "serializer" | "compressAboveBytes">;
type Event = { title: string; at: Date; tags?: string[]; note?: string };

const EventSchema = Type.Object({
  title: Type.String({ minLength: 1 }),
  at: IsoDate(),
  tags: Type.Optional(Type.Array(Type.String(), { default: [] })),
  note: Type.Optional(Type.String()),
});

function eventJob(prefix: string, storage: Storage): JobDefinition<Event, string> {
  return defineJob<Event, string>({
    name: "event",
    queue: testQueue(prefix, "events", storage),
    priority: "normal",
    attempts: 1,
    backoff: { type: "fixed", delayMs: 10 },
    keepResultMs: 60_000,
    version: 1,
    payload: createCodec<Event>(EventSchema),
    result: createCodec<string>(Type.String()),
  });
}

/** A payload of about 15 kB of JSON that compresses well. */
const bigTweet = (): Tweet => ({ content: "a".repeat(200), mediaIds: ["m".repeat(3000), "n".repeat(3000), "o".repeat(3000), "p".repeat(3000)] });

describe("payload serializers", () => {
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
  });
  afterAll(async () => {
    await client.close();
    redis.disconnect();
    await server.stop();
  });

  function work(definition: JobDefinition<any, any>, handler: Handler): void {
    workers.push(new Worker({ connection: server.url, queues: [registration(definition, handler)], shutdownTimeoutMs: 1_000 }));
  }

  // The stored payload, without a pending job's fields (store/pending-job.ts).
  const stored = async (definition: JobDefinition<any, any>, id: string) =>
    payloadOfEntry(await redis.hgetBuffer(`${definition.queue.prefix}:{${definition.queue.name}}:data`, id)) as Buffer | null;
  const echo: Handler = async (p: Tweet) => ({ tweetId: `${p.content.length}:${p.mediaIds?.join("").length ?? 0}` });

  it("round-trips a msgpack payload, stored as a binary envelope", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack" });
    work(def, echo);
    const handle = await client.enqueue(def, { content: "hello", mediaIds: ["m1"] });
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "5:2" });
    const bytes = (await stored(def, handle.id))!;
    expect([...bytes.subarray(0, 2)]).toEqual([0x00, 0x02]);
    expect(bytes.length).toBeLessThan(JSON.stringify({ content: "hello", mediaIds: ["m1"] }).length);
  });

  it("carries a Date and fills in a @default through msgpack", async () => {
    const def = eventJob(uniquePrefix(), { serializer: "msgpack" });
    let seen: Event | undefined;
    work(def, async (p: Event) => {
      seen = p;
      return p.at.toISOString();
    });
    const at = new Date("2025-03-04T05:06:07.089Z");
    const handle = await client.enqueue(def, { title: "launch", at });
    expect(await handle.result({ timeoutMs: 5_000 })).toBe(at.toISOString());
    expect(seen?.at).toBeInstanceOf(Date);
    expect(seen?.at.getTime()).toBe(at.getTime());
    expect(seen?.tags).toEqual([]);
    expect(seen).not.toHaveProperty("note");
  });

  it("compresses a JSON payload above compressAboveBytes, and leaves a small one plain JSON", async () => {
    const def = tweetJob(uniquePrefix(), { compressAboveBytes: 1024 });
    work(def, echo);
    const big = await client.enqueue(def, bigTweet());
    const small = await client.enqueue(def, { content: "short" });
    expect(await big.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "200:12000" });
    expect(await small.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "5:0" });
    const bytes = (await stored(def, big.id))!;
    expect([...bytes.subarray(0, 2)]).toEqual([0x00, 0x11]);
    expect(bytes.length).toBeLessThan(JSON.stringify(bigTweet()).length / 20);
    expect((await stored(def, small.id))!.toString()).toBe('{"content":"short"}');
  });

  it("round-trips a compressed msgpack payload", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack", compressAboveBytes: 512 });
    work(def, echo);
    const handle = await client.enqueue(def, bigTweet());
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "200:12000" });
    const bytes = (await stored(def, handle.id))!;
    expect([...bytes.subarray(0, 2)]).toEqual([0x00, 0x12]);
    expect(bytes.length).toBeLessThan(1_000);
  });

  it("applies maxPayloadBytes to the stored bytes, after compression", async () => {
    const limited = new Client({ connection: server.url, maxPayloadBytes: 4_096 });
    try {
      const plain = tweetJob(uniquePrefix());
      const error = await limited.enqueue(plain, bigTweet()).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues[0]).toMatchObject({ rule: "maxPayloadBytes" });
      const compressed = tweetJob(uniquePrefix(), { compressAboveBytes: 1024 });
      await expect(limited.enqueue(compressed, bigTweet())).resolves.toBeDefined();
    } finally {
      await limited.close();
    }
  });

  it("validates before encoding: a bad msgpack payload is refused and nothing is written", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack", compressAboveBytes: 10 });
    const error = await client.enqueue(def, { content: "" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]).toMatchObject({ path: "/content", rule: "minLength" });
    expect(await redis.keys(`${def.queue.prefix}:*`)).toEqual([]);
  });

  it("keeps decoding jobs already in Redis when the queue switches serializer, either way", async () => {
    const prefix = uniquePrefix();
    const msgpack = tweetJob(prefix, { serializer: "msgpack", compressAboveBytes: 512 });
    const json = tweetJob(prefix);
    // Written as msgpack (small and compressed), then the queue goes back to JSON: a text-reply worker.
    const binary = [await client.enqueue(msgpack, { content: "before" }), await client.enqueue(msgpack, bigTweet())];
    work(json, echo);
    expect(await binary[0].result({ timeoutMs: 5_000 })).toEqual({ tweetId: "6:0" });
    expect(await binary[1].result({ timeoutMs: 5_000 })).toEqual({ tweetId: "200:12000" });
    await Promise.all(workers.splice(0).map((w) => w.close()));
    // Written as JSON, read by a worker of the msgpack settings: a buffer-reply worker.
    const text = await client.enqueue(json, { content: "plain" });
    work(msgpack, echo);
    expect(await text.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "5:0" });
  });

  it("dead-letters a corrupt binary envelope with the reason", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack" });
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from([0x00, 0x02, 0x92, 0x01]), /not MessagePack/],
      [Buffer.from([0x00, 0x02, 0xc1]), /MessagePack holds a C1Type/],
      [Buffer.from([0x00, 0x12, 0x01, 0x02, 0x03]), /does not decompress/],
      [Buffer.from([0x00, 0x7f, 0x01]), /unknown payload envelope format 0x7f/],
    ];
    const handles = [];
    for (const [bytes] of cases) {
      const handle = await client.enqueue(def, { content: "to be corrupted" });
      await replaceStoredPayload(redis, `${def.queue.prefix}:{social}:data`, handle.id, bytes);
      handles.push(handle);
    }
    let ran = 0;
    work(def, async () => {
      ran++;
      return { tweetId: "never" };
    });
    for (const [i, [, reason]] of cases.entries()) {
      const error = await handles[i].result({ timeoutMs: 5_000 }).catch((e) => e);
      expect(error).toBeInstanceOf(JobFailedError);
      expect(error.errors[0].name).toBe("DecodeError");
      expect(error.errors[0].message).toMatch(reason);
    }
    expect(ran).toBe(0);
  });

  it("drops __proto__, constructor and prototype keys of a msgpack payload", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack" });
    const handle = await client.enqueue(def, { content: "x" });
    const hostile = new Map<string, unknown>([
      ["content", "hostile"],
      ["__proto__", { polluted: true }],
      ["constructor", { prototype: { polluted: true } }],
      ["prototype", 1],
    ]);
    const bytes = Buffer.concat([Buffer.from([0x00, 0x02]), new Packr({ useRecords: false }).pack(hostile)]);
    await replaceStoredPayload(redis, `${def.queue.prefix}:{social}:data`, handle.id, bytes);
    let seen: Record<string, unknown> | undefined;
    work(def, async (p: Tweet) => {
      seen = p;
      return { tweetId: "ok" };
    });
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "ok" });
    expect(Object.keys(seen!)).toEqual(["content"]);
    expect(Object.getPrototypeOf(seen)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("shows a msgpack or compressed payload decoded, as JSON, to the inspector and the dead-letter queue", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack", compressAboveBytes: 512 });
    const small = await client.enqueue(def, { content: "inspect me" });
    const big = await client.enqueue(def, bigTweet());
    const inspector = new QueueInspector({ connection: redis, queues: [{ name: "social", prefix: def.queue.prefix }] });
    expect((await inspector.getJob("social", small.id))?.payload).toEqual({ content: "inspect me" });
    expect((await inspector.getJob("social", big.id))?.payload).toEqual(bigTweet());
    work(def, async () => {
      throw new Error("boom");
    });
    await small.result({ timeoutMs: 5_000 }).catch(() => undefined);
    await big.result({ timeoutMs: 5_000 }).catch(() => undefined);
    const dead = await client.deadLetterQueue("social", def.queue.prefix).list();
    // Newest death first: the big one ran second.
    expect(dead.map((d) => JSON.parse(d.payload))).toEqual([bigTweet(), { content: "inspect me" }]);
  });

  it("retries a dead msgpack job from the dead-letter queue", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack", attempts: 1 });
    let fail = true;
    work(def, async (p: Tweet) => {
      if (fail) throw new Error("not yet");
      return { tweetId: p.content };
    });
    const handle = await client.enqueue(def, { content: "again" });
    await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
    fail = false;
    expect(await client.deadLetterQueue("social", def.queue.prefix).retry([handle.id])).toBe(1);
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "again" });
  });

  it("hands msgpack payloads to a batch handler", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack", compressAboveBytes: 512, batch: { size: 4, waitMs: 50 } });
    work(def, async (payloads: Tweet[]) => payloads.map((p) => ({ tweetId: p.content.slice(0, 3) })));
    const handles = await client.enqueueBulk(def, [{ content: "one" }, bigTweet(), { content: "two" }]);
    expect(await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 })))).toEqual([{ tweetId: "one" }, { tweetId: "aaa" }, { tweetId: "two" }]);
  });

  it("upgrades a msgpack payload stored at an older version", async () => {
    const prefix = uniquePrefix();
    const V1 = Type.Object({ text: Type.String() });
    const v1 = defineJob<{ text: string }, string>({ ...eventJob(prefix, { serializer: "msgpack" }), name: "note", payload: createCodec(V1) });
    const v2 = eventJob(prefix, {});
    const v2WithUpgrade = defineJob<Event, string>({
      ...v2,
      name: "note",
      version: 2,
      upgrades: { 1: { payload: createCodec(V1), upgrade: (p: { text: string }) => ({ title: p.text, at: new Date(0) }) } },
    });
    const handle = await client.enqueue(v1, { text: "old" });
    work(v2WithUpgrade, async (p: Event) => `${p.title}@${p.at.getTime()}:${p.tags?.length}`);
    expect(await handle.result({ timeoutMs: 5_000 })).toBe("old@0:0");
  });

  it("fires a schedule of a msgpack, compressed queue", async () => {
    const def = tweetJob(uniquePrefix(), { serializer: "msgpack", compressAboveBytes: 512 });
    const seen: number[] = [];
    work(def, async (p: Tweet) => {
      seen.push(p.mediaIds?.length ?? 0);
      return { tweetId: "ok" };
    });
    await client.schedule(def, { at: new Date(Date.now() + 50) }, bigTweet());
    await expect.poll(() => seen, { timeout: 5_000 }).toEqual([4]);
  });
});

describe("payload serializers on Redis Cluster", () => {
  it("round-trips msgpack and compressed payloads, and reads them after a switch back to JSON", async () => {
    const topo = await CLUSTER.start();
    const client = new Client({ connection: topo.connection });
    const workers: Worker[] = [];
    try {
      const prefix = uniquePrefix();
      const packed = tweetJob(prefix, { serializer: "msgpack", compressAboveBytes: 512 });
      const work = (def: JobDefinition<any, any>) =>
        workers.push(
          new Worker({
            connection: topo.connection,
            queues: [registration(def, async (p: Tweet) => ({ tweetId: `${p.mediaIds?.length ?? 0}` }))],
            shutdownTimeoutMs: 1_000,
          }),
        );
      work(packed);
      expect(await (await client.enqueue(packed, bigTweet())).result({ timeoutMs: 5_000 })).toEqual({ tweetId: "4" });
      await Promise.all(workers.splice(0).map((w) => w.close()));
      const waiting = await client.enqueue(packed, { content: "x", mediaIds: ["a"] });
      work(tweetJob(prefix));
      expect(await waiting.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "1" });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await client.close();
      await topo.stop();
    }
  });
});
