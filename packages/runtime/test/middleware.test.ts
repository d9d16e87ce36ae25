import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { Client, PermanentError, Worker, type Middleware } from "../src/index.js";
import { applyMiddleware } from "../src/internal.js";
import type { JobMap } from "../../../examples/tweet/generated/client.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob, uniquePrefix } from "./fixtures.js";

let redis: TestRedis;
let client: Client;

beforeAll(async () => {
  redis = await startRedis();
  client = new Client({ connection: redis.url });
});
afterAll(async () => {
  await client.close();
  await redis.stop();
});

function recorder(label: string, seen: string[]): Middleware {
  return {
    before: ({ name, ctx }) => void seen.push(`${label}.before ${name}#${ctx.attempt}`),
    after: ({ result }) => void seen.push(`${label}.after ${JSON.stringify(result)}`),
    onError: ({ error }) => void seen.push(`${label}.onError ${(error as Error).message}`),
  };
}

describe("middleware", () => {
  it("runs before, the handler, then after, nested like an onion", async () => {
    const def = tweetJob(uniquePrefix());
    const seen: string[] = [];
    const queues = applyMiddleware(
      [
        registration(def, async (p: { content: string }) => {
          seen.push("handler");
          return { tweetId: p.content };
        }),
      ],
      [recorder("a", seen), recorder("b", seen)],
    );
    const worker = new Worker({ connection: redis.url, queues });
    expect(await (await client.enqueue(def, { content: "x" })).result({ timeoutMs: 5_000 })).toEqual({ tweetId: "x" });
    await worker.close();
    expect(seen).toEqual(["a.before tweet#1", "b.before tweet#1", "handler", 'b.after {"tweetId":"x"}', 'a.after {"tweetId":"x"}']);
  });

  it("calls onError inside out and leaves the outcome to the worker: the job still dead-letters", async () => {
    const def = tweetJob(uniquePrefix());
    const seen: string[] = [];
    const queues = applyMiddleware(
      [
        registration(def, async () => {
          throw new PermanentError("refused");
        }),
      ],
      [recorder("a", seen), recorder("b", seen)],
    );
    const worker = new Worker({ connection: redis.url, queues });
    const handle = await client.enqueue(def, { content: "x" });
    await expect(handle.result({ timeoutMs: 5_000 })).rejects.toMatchObject({ state: "dead" });
    await worker.close();
    expect(seen).toEqual(["a.before tweet#1", "b.before tweet#1", "b.onError refused", "a.onError refused"]);
    expect(await handle.state()).toBe("dead");
  });

  it("fails the attempt when before throws, without running the handler", async () => {
    const def = tweetJob(uniquePrefix(), { attempts: 1 });
    let ran = false;
    const queues = applyMiddleware(
      [
        registration(def, async () => {
          ran = true;
          return { tweetId: "never" };
        }),
      ],
      [
        {
          before: () => {
            throw new Error("no tracing context");
          },
        },
      ],
    );
    const worker = new Worker({ connection: redis.url, queues });
    await expect((await client.enqueue(def, { content: "x" })).result({ timeoutMs: 5_000 })).rejects.toThrow(/no tracing context/);
    await worker.close();
    expect(ran).toBe(false);
  });

  it("is typed by job name with a generated JobMap", () => {
    const typed: Middleware<JobMap> = {
      before(call) {
        if (call.name === "tweet") expectTypeOf(call.payload).toEqualTypeOf<JobMap["tweet"]["payload"]>();
        else expectTypeOf(call.payload).toEqualTypeOf<JobMap["deleteTweet"]["payload"]>();
      },
      after(call) {
        if (call.name === "tweet") expectTypeOf(call.result).toEqualTypeOf<{ tweetId: string }>();
        // @ts-expect-error deleteTweet returns void: it has no tweetId
        if (call.name === "deleteTweet") void call.result.tweetId;
      },
    };
    // @ts-expect-error a job name jobs.ts does not declare
    const wrong: Middleware<JobMap> = { before: (call) => void (call.name === "nope") };
    expect([typed, wrong]).toHaveLength(2);
  });
});
