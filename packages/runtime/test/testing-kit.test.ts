import { readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { Type } from "typebox";
import { Client, PermanentError, RateLimitError, TimeoutError, ValidationError, Worker, type Middleware } from "../src/index.js";
import { createCodec, defineJob, IsoDate } from "../src/internal.js";
import { TestClock, drain, enqueued, expectEnqueued, perform, startTestRedis, type AsStored, type TestRedis } from "../src/testing/index.js";
import type { TaskqClient } from "../../../examples/tweet/generated/client.js";
import { registration, tweetJob, uniquePrefix, type Tweet } from "./fixtures.js";

let queueCount = 0;
/** A tweet job on a queue of its own, so tests that scan Redis for queues do not see each other's. */
const ownJob = (overrides: Parameters<typeof tweetJob>[1] = {}) => tweetJob(uniquePrefix(), { queue: `kit${++queueCount}`, ...overrides });

describe("perform", () => {
  it("runs the handler through the codec with a real context and returns the decoded result, logs and progress", async () => {
    const job = ownJob();
    const seen: unknown[] = [];
    const run = await perform(
      job,
      { content: "hi" },
      {
        attempt: 2,
        handler: async (payload, ctx) => {
          seen.push(payload, ctx.id, ctx.name, ctx.queue, ctx.attempt);
          await ctx.log("posting");
          await ctx.progress(50);
          await ctx.progress({ step: "done" });
          return { tweetId: `t-${payload.content}` };
        },
      },
    );
    expect(run).toEqual({ outcome: "completed", result: { tweetId: "t-hi" }, logs: ["posting"], progress: [50, { step: "done" }] });
    expect(seen).toEqual([{ content: "hi" }, expect.stringMatching(/^perform-\d+$/), "tweet", job.queue.name, 2]);
  });

  it("refuses an invalid payload with ValidationError before the handler runs, as an enqueue does", async () => {
    let ran = false;
    const handler = async () => {
      ran = true;
      return { tweetId: "x" };
    };
    await expect(perform(ownJob(), { content: "" }, { handler })).rejects.toBeInstanceOf(ValidationError);
    await expect(perform(ownJob(), { content: "x".repeat(281) }, { handler })).rejects.toThrow(/\/content: maxLength/);
    // @ts-expect-error a payload of the wrong type does not compile
    await expect(perform(ownJob(), { text: "hi" }, { handler })).rejects.toBeInstanceOf(ValidationError);
    expect(ran).toBe(false);
  });

  it("says what the worker would do with a failure: retry with the backoff, dead on the last attempt or a PermanentError, release on a RateLimitError", async () => {
    const job = ownJob({ attempts: 3, backoff: { type: "fixed", delayMs: 1_234 } });
    const boom = new Error("twitter down");
    const failing = {
      handler: async (): Promise<{ tweetId: string }> => {
        throw boom;
      },
    };
    expect(await perform(job, { content: "a" }, failing)).toMatchObject({ outcome: "retry", error: boom, delayMs: 1_234 });
    expect(await perform(job, { content: "a" }, { ...failing, attempt: 3 })).toMatchObject({ outcome: "dead", error: boom, delayMs: 0 });
    const permanent = await perform(
      job,
      { content: "a" },
      {
        handler: async () => {
          throw new PermanentError("spam");
        },
      },
    );
    expect(permanent).toMatchObject({ outcome: "dead" });
    expect((permanent as { error: unknown }).error).toBeInstanceOf(PermanentError);
    const limited = await perform(
      job,
      { content: "a" },
      {
        handler: async () => {
          throw new RateLimitError(5_000);
        },
      },
    );
    expect(limited).toMatchObject({ outcome: "release", delayMs: 5_000 });
  });

  it("times out as the worker does: ctx.signal aborts and the attempt fails with TimeoutError", async () => {
    const job = ownJob({ timeoutMs: 60_000 });
    const run = await perform(
      job,
      { content: "slow" },
      {
        timeoutMs: 50,
        handler: (_payload, ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
      },
    );
    expect(run.outcome).toBe("retry");
    expect((run as { error: unknown }).error).toBeInstanceOf(TimeoutError);
  });

  it("aborts ctx.signal with the given signal's reason", async () => {
    const controller = new AbortController();
    const stop = new Error("test stopped it");
    const running = perform(ownJob(), { content: "a" }, { signal: controller.signal, handler: () => new Promise(() => {}) });
    controller.abort(stop);
    expect(await running).toMatchObject({ outcome: "retry", error: stop });
  });

  it("refuses a batch job, whose handler takes an array of payloads", async () => {
    const job = ownJob({ batch: { size: 10, waitMs: 5 } });
    await expect(perform(job, { content: "a" }, { handler: async () => ({ tweetId: "1" }) })).rejects.toMatchObject({ code: "E_CONFIG" });
  });

  it("runs the middleware around the handler, and dead-letters a result the result codec refuses", async () => {
    const seen: string[] = [];
    const middleware: Middleware = {
      before: ({ name }) => void seen.push(`before ${name}`),
      after: ({ result }) => void seen.push(`after ${JSON.stringify(result)}`),
    };
    await perform(ownJob(), { content: "a" }, { middleware: [middleware], handler: async () => ({ tweetId: "1" }) });
    expect(seen).toEqual(["before tweet", 'after {"tweetId":"1"}']);
    const bad = await perform(ownJob(), { content: "a" }, { handler: async () => ({ tweetId: 1 }) as unknown as { tweetId: string } });
    expect(bad.outcome).toBe("dead");
    expect((bad as { error: Error }).error.message).toMatch(/invalid result/);
  });
});

describe("startTestRedis", () => {
  it("starts a throwaway redis-server on a free port, and stop() ends it", async () => {
    const saved = process.env.TASKQ_REDIS_URL;
    delete process.env.TASKQ_REDIS_URL;
    const redis = await startTestRedis().finally(() => (process.env.TASKQ_REDIS_URL = saved));
    if (saved === undefined) delete process.env.TASKQ_REDIS_URL;
    expect(redis.started).toBe(true);
    const client = new Client({ connection: redis.url });
    expect(await client.redis.ping()).toBe("PONG");
    await client.close();
    await redis.stop();
    const port = Number(new URL(redis.url).port);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(false)));
      socket.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it("uses TASKQ_REDIS_URL when it is set, and leaves that server alone", async () => {
    const saved = process.env.TASKQ_REDIS_URL;
    process.env.TASKQ_REDIS_URL = "redis://127.0.0.1:1/";
    try {
      const redis = await startTestRedis();
      expect(redis).toMatchObject({ url: "redis://127.0.0.1:1/", started: false });
      await redis.stop();
    } finally {
      if (saved === undefined) delete process.env.TASKQ_REDIS_URL;
      else process.env.TASKQ_REDIS_URL = saved;
    }
  });
});

describe("with Redis", () => {
  let redis: TestRedis;
  let client: Client;
  beforeAll(async () => {
    redis = await startTestRedis({ fromEnv: false });
    client = new Client({ connection: redis.url });
  });
  afterAll(async () => {
    await client.close();
    await redis.stop();
  });

  it("enqueued() lists the waiting and delayed jobs of one job type; expectEnqueued() matches a part of the payload", async () => {
    const job = ownJob();
    const other = ownJob({ name: "other" });
    const now = await client.enqueue(job, { content: "now", mediaIds: ["m1"] });
    const later = await client.enqueue(job, { content: "later" }, { delayMs: 60_000 });
    await client.enqueue(other, { content: "not a tweet" });
    const jobs = await enqueued(client, "tweet");
    expect(jobs.filter((j) => j.queue === job.queue.name).map((j) => [j.id, j.state, j.payload])).toEqual([
      [now.id, "waiting", { content: "now", mediaIds: ["m1"] }],
      [later.id, "delayed", { content: "later" }],
    ]);
    expect((await expectEnqueued(client, "tweet", { content: "later" })).id).toBe(later.id);
    expect((await expectEnqueued(client, "other")).payload).toEqual({ content: "not a tweet" });
    // Arrays are compared whole.
    await expect(expectEnqueued(client, "tweet", { mediaIds: [] })).rejects.toThrow(Error);
  });

  it("reads Dates as stored (ISO strings) and matches a Date to one; finds the jobs of every shard of a sharded queue", async () => {
    type Reminder = { at: Date; note: string };
    const reminder = defineJob<Reminder, void>({
      ...ownJob({ shards: 3 }),
      name: "remind",
      payload: createCodec<Reminder>(Type.Object({ at: IsoDate(), note: Type.String() })),
      result: createCodec<void>(Type.Null()),
    });
    const at = new Date("2030-01-02T03:04:05.000Z");
    // One by one: a bulk is atomic, so it goes to one shard.
    const handles = await Promise.all(["a", "b", "c", "d", "e", "f"].map((note) => client.enqueue(reminder, { at, note })));
    expect(new Set(handles.map((h) => (h as unknown as { shard: number }).shard)).size).toBeGreaterThan(1);
    // The runtime Client does not know the payload types (a generated client does): unknown here.
    const jobs = (await enqueued(client, "remind")).map((j) => j.payload as AsStored<Reminder>);
    expect(jobs.map((p) => p.note).sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(jobs[0].at).toBe("2030-01-02T03:04:05.000Z");
    await expectEnqueued(client, "remind", { at, note: "f" });
    const ran: string[] = [];
    const worker = new Worker({
      connection: redis.url,
      queues: [registration(reminder, async (p: Reminder) => void ran.push(`${p.note}@${p.at.toISOString()}`))],
      autostart: false,
    });
    try {
      expect(await drain(worker)).toEqual({ completed: 6, failed: 0, dead: 0 });
      expect(ran.sort()).toEqual(["a", "b", "c", "d", "e", "f"].map((note) => `${note}@2030-01-02T03:04:05.000Z`));
      expect(await enqueued(client, "remind")).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it("fails expectEnqueued with a message that lists what was enqueued", async () => {
    const job = ownJob({ name: "listed" });
    await client.enqueue(job, { content: "first" });
    const failure = await expectEnqueued(client, "listed", { content: "second" }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/expected a "listed" job to be enqueued with a payload matching \{"content":"second"\}/);
    expect((failure as Error).message).toMatch(/\(waiting\) \{"content":"first"\}/);
    await expect(expectEnqueued(client, "nothing")).rejects.toThrow(/no "nothing" job is waiting or delayed/);
  });

  it("types job names and payloads by a generated client", () => {
    type Enqueued = typeof expectEnqueued<TaskqClient, "tweet">;
    expectTypeOf<Parameters<Enqueued>[1]>().toEqualTypeOf<"tweet">();
    expectTypeOf<Parameters<typeof expectEnqueued<TaskqClient, "deleteTweet">>[2]>().toEqualTypeOf<{ tweetId?: string } | undefined>();
    expectTypeOf<Awaited<ReturnType<typeof enqueued<TaskqClient, "tweet">>>[number]["payload"]>().toEqualTypeOf<Tweet>();
    expectTypeOf<AsStored<{ at: Date; list: Date[] }>>().toEqualTypeOf<{ at: string; list: string[] }>();
    expectTypeOf<Parameters<typeof expectEnqueued<Worker, "anything">>[1]>().toEqualTypeOf<"anything">();
    expectTypeOf<Parameters<typeof expectEnqueued<Client, "anything">>[2]>().toEqualTypeOf<unknown>();
    const typed = {} as TaskqClient;
    // @ts-expect-error no job has that name
    void (() => expectEnqueued(typed, "tweeet"));
    // @ts-expect-error a field the payload does not have
    void (() => expectEnqueued(typed, "tweet", { text: "hi" }));
  });

  it("drain() runs every waiting job in the worker, retries included, and counts what happened", async () => {
    const job = ownJob({ attempts: 2, backoff: { type: "fixed", delayMs: 60_000 } });
    const worker = new Worker({
      connection: redis.url,
      queues: [
        registration(job, async (p: Tweet) => {
          if (p.content === "bad") throw new Error("always fails");
          return { tweetId: p.content };
        }),
      ],
      autostart: false,
    });
    try {
      const handles = await Promise.all(["a", "b", "bad"].map((content) => client.enqueue(job, { content })));
      // Without withDelayed, the retry (due in a minute) is left for later.
      expect(await drain(worker)).toEqual({ completed: 2, failed: 1, dead: 0 });
      expect(await handles[2].state()).toBe("delayed");
      // withDelayed runs the retry now; a schedule does not fire before its time.
      await client.schedule(job, { everyMs: 60_000 }, { content: "scheduled" });
      expect(await drain(worker, { withDelayed: true })).toEqual({ completed: 0, failed: 1, dead: 1 });
      expect(await handles[2].state()).toBe("dead");
      expect(await handles[0].result()).toEqual({ tweetId: "a" });
    } finally {
      await worker.close();
    }
  });

  it("drain() with only a client waits for workers elsewhere, and says what is left when none runs", async () => {
    const job = ownJob();
    await client.enqueue(job, { content: "stuck" });
    await expect(drain(client, { queues: [job.queue.name], timeoutMs: 200 })).rejects.toThrow(
      /1 waiting, 0 active, 0 delayed and due \(is a worker running\?\)/,
    );
  });

  it("a TestClock moves delayed jobs forward on Redis's clock, cumulatively, and drain runs them", async () => {
    const job = ownJob();
    const handle = await client.enqueue(job, { content: "in a minute" }, { delayMs: 60_000 });
    const clock = new TestClock(client, { queues: [job.queue.name] });
    expect(await clock.advance(30_000)).toEqual({ promoted: 0, fired: 0 });
    expect(await handle.state()).toBe("delayed");
    expect(await clock.advance(31_000)).toEqual({ promoted: 1, fired: 0 });
    expect(clock.offsetMs).toBe(61_000);
    expect(await handle.state()).toBe("waiting");
    const worker = new Worker({ connection: redis.url, queues: [registration(job, async () => ({ tweetId: "1" }))], autostart: false });
    try {
      expect(await drain(worker, { clock })).toEqual({ completed: 1, failed: 0, dead: 0 });
    } finally {
      await worker.close();
    }
  });

  it("a TestClock fires every schedule tick due by its time, each once", async () => {
    const job = ownJob();
    await client.schedule(job, { everyMs: 60_000 }, { content: "ping" });
    const clock = new TestClock(client, { queues: [job.queue.name] });
    expect(await clock.advance(59_000)).toEqual({ promoted: 0, fired: 0 });
    expect(await clock.advance(3 * 60_000)).toEqual({ promoted: 0, fired: 3 });
    expect((await enqueued(client, "tweet")).filter((j) => j.queue === job.queue.name)).toHaveLength(3);
    expect(await clock.runDue()).toEqual({ promoted: 0, fired: 0 });
    await expect(clock.advance(-1)).rejects.toMatchObject({ code: "E_CONFIG" });
    await expect(clock.advance(Infinity)).rejects.toMatchObject({ code: "E_CONFIG" });
  });
});

describe("the testing kit's place", () => {
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

  it("is shown in README.md's \"Testing your jobs\" as the example's test files are, byte for byte", () => {
    const readme = read("../../../README.md");
    for (const file of ["handlers.test.ts", "queue.test.ts"]) {
      expect(readme, `README.md shows examples/tweet/${file}`).toContain("```ts\n" + read(`../../../examples/tweet/${file}`) + "```");
    }
  });

  it("is not in the import graph of @taskq/runtime's main entry", () => {
    const seen = new Set<string>();
    const visit = (url: URL) => {
      if (seen.has(url.pathname)) return;
      seen.add(url.pathname);
      for (const [, path] of readFileSync(url, "utf8").matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g)) visit(new URL(`${path}.ts`, url));
    };
    visit(new URL("../src/index.ts", import.meta.url));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].filter((path) => path.includes("/src/testing/"))).toEqual([]);
  });
});
