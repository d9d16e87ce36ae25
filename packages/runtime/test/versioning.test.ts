/**
 * Payload versions on real Redis: a job written by a producer on version 1 is decoded with version
 * 1's codec and upgraded by a worker on version 2, whether it was already in Redis when the worker
 * started or is enqueued while it runs; a version the worker cannot read is dead-lettered with why.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Type } from "typebox";
import { Client, JobFailedError, Worker } from "../src/index.js";
import { createCodec, defineJob, type JobDefinition } from "../src/internal.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, testQueue, uniquePrefix } from "./fixtures.js";

type NoteV1 = { text: string };
type Note = { body: string; lang: "en" | "fr" };

const NoteV1Codec = createCodec<NoteV1>(Type.Object({ text: Type.String() }));
const NoteCodec = createCodec<Note>(Type.Object({ body: Type.String({ minLength: 1 }), lang: Type.Union([Type.Literal("en"), Type.Literal("fr")]) }));
const ResultCodec = createCodec<string>(Type.String());

/** The definition as a producer on the old code declares it: version 1, its own payload codec. */
function noteV1(prefix: string, version = 1): JobDefinition<NoteV1, string> {
  return defineJob({
    name: "note",
    queue: testQueue(prefix, "notes"),
    priority: "normal",
    attempts: 3,
    backoff: { type: "fixed", delayMs: 10 },
    keepResultMs: 60_000,
    version,
    payload: NoteV1Codec,
    result: ResultCodec,
  });
}

/** The definition as the new worker has it: version 2, with the upgrade from version 1. */
function noteV2(prefix: string, upgrade: (p: NoteV1) => unknown = (p) => ({ body: p.text, lang: "en" })): JobDefinition<Note, string> {
  return defineJob({
    name: "note",
    queue: testQueue(prefix, "notes"),
    priority: "normal",
    attempts: 3,
    backoff: { type: "fixed", delayMs: 10 },
    keepResultMs: 60_000,
    version: 2,
    payload: NoteCodec,
    result: ResultCodec,
    upgrades: { 1: { payload: NoteV1Codec, upgrade } },
  });
}

describe("payload versions", () => {
  let redis: TestRedis;
  let client: Client;
  const workers: Worker[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    client = new Client({ connection: redis.url });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
  });
  afterAll(async () => {
    await client.close();
    await redis.stop();
  });

  function work(definition: JobDefinition<any, any>): Worker {
    const handler = async (payload: Note) => `${payload.lang}:${payload.body}`;
    const worker = new Worker({ connection: redis.url, queues: [registration(definition, handler)], shutdownTimeoutMs: 1_000 });
    workers.push(worker);
    return worker;
  }

  it("upgrades a version 1 job that was already in Redis when the version 2 worker started", async () => {
    const prefix = uniquePrefix();
    const handle = await client.enqueue(noteV1(prefix), { text: "queued before the deploy" });
    work(noteV2(prefix));
    expect(await handle.result({ timeoutMs: 5_000 })).toBe("en:queued before the deploy");
  });

  it("keeps a version 1 producer working against a running version 2 worker, beside version 2 producers", async () => {
    const prefix = uniquePrefix();
    work(noteV2(prefix));
    const old = await client.enqueue(noteV1(prefix), { text: "old producer" });
    const current = await client.enqueue(noteV2(prefix), { body: "new producer", lang: "fr" });
    expect(await old.result({ timeoutMs: 5_000 })).toBe("en:old producer");
    expect(await current.result({ timeoutMs: 5_000 })).toBe("fr:new producer");
  });

  it("dead-letters a payload of a version the worker does not know, saying which", async () => {
    const prefix = uniquePrefix();
    work(noteV2(prefix));
    const handle = await client.enqueue(noteV1(prefix, 3), { text: "from the future" });
    const error = await handle.result({ timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).errors.map((e) => e.message)).toEqual([
      "payload of note does not decode: stored at version 3, but this worker knows versions 1 to 2",
    ]);
  });

  it("dead-letters at once, with the reason, when an upgrade throws or returns an invalid payload", async () => {
    const prefix = uniquePrefix();
    work(
      noteV2(prefix, (p) => {
        if (p.text === "throw") throw new Error("cannot read this note");
        return { body: "", lang: "en" };
      }),
    );
    const thrown = await client.enqueue(noteV1(prefix), { text: "throw" });
    const invalid = await client.enqueue(noteV1(prefix), { text: "empty" });
    const messages = async (handle: typeof thrown) =>
      ((await handle.result({ timeoutMs: 5_000 }).catch((e: unknown) => e)) as JobFailedError).errors.map((e) => e.message);
    expect(await messages(thrown)).toEqual(["payload of note does not decode: the upgrade from version 1 threw: cannot read this note"]);
    const [reason] = await messages(invalid);
    expect(reason).toMatch(/^payload of note does not decode: upgraded from version 1, but .*\/body: minLength/);
    expect(await client.deadLetterQueue("notes", prefix).count()).toBe(2);
  });
});
