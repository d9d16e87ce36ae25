/** Issue 17, items 3, 9, 11, 12 and 14, through the real `taskq` binary on a real Redis. */
import { createServer, type Server } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, PermanentError, Worker } from "@taskq/runtime";
import { definitions } from "../../../examples/tweet/generated/client.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { taskq, taskqJson } from "./run-cli.js";

let redis: TestRedis;
let client: Client;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  redis = await startRedis();
  client = new Client({ connection: redis.url });
  busy = createServer();
  busyPort = await new Promise<number>((resolve) => busy.listen(0, "127.0.0.1", () => resolve((busy.address() as { port: number }).port)));
});
afterAll(async () => {
  busy.close();
  await client.close();
  await redis.stop();
});

describe("taskq in front of an operator", () => {
  it("never prints the Redis password", async () => {
    const result = await taskq(["stats", "--redis", "redis://user:S3CRETPW@127.0.0.1:1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("redis://***@127.0.0.1:1");
    expect(result.stderr + result.stdout).not.toContain("S3CRETPW");
  });

  it("refuses a URL path that is not a database without a stack trace, and a database the server lacks", async () => {
    const bad = await taskq(["stats", "--redis", `${redis.url}/abc`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^taskq: invalid database "\/abc"/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await taskq(["stats", "--redis", `${redis.url}/99`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("refused database 99");
  });

  it("pages lists: --limit at most 1000, newest death first, --cursor to go on", { timeout: 90_000 }, async () => {
    const worker = new Worker({
      connection: redis.url,
      queues: [
        {
          name: "social",
          prefix: "taskq",
          concurrency: 1,
          jobs: {
            tweet: {
              definition: definitions.tweet,
              handler: () => {
                throw new PermanentError("refused");
              },
            },
          },
        },
      ],
    });
    const handles = [];
    for (const content of ["first", "second", "third"]) {
      const handle = await client.enqueue(definitions.tweet, { content });
      await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
      handles.push(handle);
    }
    await worker.close();
    const tooMany = await taskq(["jobs", "list", "--limit", "1001", "--redis", redis.url]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain("--limit must be a whole number from 1 to 1000");
    const first = await taskqJson(["dlq", "list", "--limit", "2", "--redis", redis.url]);
    expect(first.jobs.map((j: { id: string }) => j.id)).toEqual([handles[2].id, handles[1].id]);
    const rest = await taskqJson(["dlq", "list", "--limit", "2", "--cursor", first.nextCursor, "--redis", redis.url]);
    expect(rest).toEqual({ jobs: [expect.objectContaining({ id: handles[0].id })], nextCursor: null });
    expect((await taskqJson(["dlq", "purge", "--all", "--redis", redis.url])).purged).toBe(3);
  });

  it("exits non-zero instead of hanging when serve cannot listen", { timeout: 60_000 }, async () => {
    const started = Date.now();
    const exposed = await taskq(["serve", "--host", "0.0.0.0", "--port", "0", "--redis", redis.url], { TASKQ_API_TOKEN: "", TASKQ_API_READ_TOKEN: "" });
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toContain("without a token");
    const taken = await taskq(["serve", "--port", String(busyPort), "--redis", redis.url]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("EADDRINUSE");
    // Two CLI runs; each takes seconds on a loaded machine, a hang would take the run's 30 s timeout.
    expect(Date.now() - started).toBeLessThan(50_000);
  });

  it("exits non-zero when the worker's metrics port is taken, before running anything", async () => {
    const result = await taskq(["worker", "examples/tweet/generated", "--redis", redis.url, "--metrics-port", String(busyPort)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot serve metrics on port ${busyPort}`);
  });

  it("shows terminal escapes in errors escaped, and lists a dead-letter queue with an unreadable entry", { timeout: 90_000 }, async () => {
    const worker = new Worker({
      connection: redis.url,
      queues: [
        {
          name: "social",
          prefix: "taskq",
          concurrency: 1,
          jobs: {
            tweet: {
              definition: definitions.tweet,
              handler: async (_p, ctx) => {
                await ctx.log("\u001b]0;owned\u0007log \u001b[2J");
                throw new PermanentError("boom \u001b[31mred\u009b");
              },
            },
          },
        },
      ],
    });
    const handle = await client.enqueue(definitions.tweet, { content: "escape" });
    await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
    await worker.close();
    const admin = new Redis(redis.url);
    await admin.rpush(`taskq:{social}:errors:${handle.id}`, "{garbled\u001b[2J");
    admin.disconnect();

    const shown = await taskq(["jobs", "get", handle.id, "--redis", redis.url]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(shown.stdout).toContain("boom \\x1b[31mred\\x9b");
    expect(shown.stdout).toContain("UnreadableError");

    const list = await taskq(["dlq", "list", "--redis", redis.url]);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toMatch(/[\u001b\u009b]/);
    const json = await taskq(["dlq", "list", "--json", "--redis", redis.url]);
    expect(json.stdout).not.toMatch(/[\u001b\u009b]/);
    expect(JSON.parse(json.stdout).jobs[0].errors.at(-1).name).toBe("UnreadableError");
    expect((await taskqJson(["dlq", "purge", "--all", "--redis", redis.url])).purged).toBe(1);
  });
});
