import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, PermanentError, Worker } from "@taskq/runtime";
import { definitions } from "../../../examples/tweet/generated/client.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { taskq, taskqJson } from "./run-cli.js";

let redis: TestRedis;
let client: Client;
let r: string[];

beforeAll(async () => {
  redis = await startRedis();
  r = ["--redis", redis.url];
  client = new Client({ connection: redis.url });
});
afterAll(async () => {
  await client.close();
  await redis.stop();
});

/** Dead-letters `count` tweets through a worker whose handler refuses them. */
async function killTweets(count: number): Promise<string[]> {
  const worker = new Worker({
    connection: redis.url,
    queues: [
      {
        name: "social",
        prefix: "taskq",
        concurrency: 4,
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
  const handles = await client.enqueueBulk(
    definitions.tweet,
    Array.from({ length: count }, (_, i) => ({ content: `dead ${i}` })),
  );
  await Promise.all(handles.map((h) => h.result({ timeoutMs: 5_000 }).catch(() => undefined)));
  await worker.close();
  return handles.map((h) => h.id);
}

// Each test runs several CLI processes, each loading the sources through tsx: seconds apiece when the suite keeps both cores busy.
describe("taskq stats, jobs, dlq", { timeout: 90_000 }, () => {
  it("prints counts by state with `stats --json`, and a table without", async () => {
    await client.enqueue(definitions.tweet, { content: "waiting" });
    await client.enqueue(definitions.tweet, { content: "later" }, { delayMs: 60_000 });
    const { queues } = await taskqJson(["stats", ...r]);
    expect(queues).toEqual([expect.objectContaining({ queue: "social", prefix: "taskq", waiting: 1, blocked: 0, delayed: 1, workers: { live: 0, dead: 0 } })]);
    const table = await taskq(["stats", ...r]);
    expect(table.stdout).toMatch(
      /^QUEUE\s+WAITING\s+BLOCKED\s+DELAYED\s+ACTIVE\s+COMPLETED\s+DEAD\s+WORKERS\s+BUSY\nsocial\s+1\s+0\s+1\s+0\s+0\s+0\s+0 live\s+0%$/m,
    );
  });

  it("lists, shows, cancels and retries jobs by id", async () => {
    const handle = await client.enqueue(definitions.tweet, { content: "show me" });
    const { jobs } = await taskqJson(["jobs", "list", "--state", "waiting", "--queue", "social", ...r]);
    expect(jobs.map((j: { id: string }) => j.id)).toContain(handle.id);
    const job = await taskqJson(["jobs", "get", handle.id, ...r]);
    expect(job).toMatchObject({ id: handle.id, queue: "social", name: "tweet", state: "waiting", payload: { content: "show me" }, priority: "high" });
    expect(await taskqJson(["jobs", "cancel", handle.id, ...r])).toEqual({
      id: handle.id,
      queue: "social",
      prefix: "taskq",
      changed: true,
      stateBefore: "waiting",
    });

    const again = await taskq(["jobs", "cancel", handle.id, ...r]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`taskq: job ${handle.id} of social is cancelled: nothing to cancel\n`);
    const debug = await taskq(["jobs", "cancel", handle.id, "--debug", ...r]);
    expect(debug.stderr).toMatch(/CliError: job .* nothing to cancel\n\s+at /);

    const [dead] = await killTweets(1);
    expect(await taskqJson(["jobs", "retry", dead, ...r])).toMatchObject({ changed: true, stateBefore: "dead" });
    expect((await taskqJson(["jobs", "get", dead, ...r])).state).toBe("waiting");
    expect((await taskq(["jobs", "get", "nope", ...r])).stderr).toBe("taskq: job nope not found\n");
    expect((await taskq(["jobs", "list", "--state", "lost", ...r])).code).toBe(2);
  });

  it("lists the dead-letter queue, retries by name and purges by id or all", async () => {
    const ids = await killTweets(3);
    const { jobs } = await taskqJson(["dlq", "list", ...r]);
    expect(jobs.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining(ids));
    expect(jobs[0].errors[0]).toMatchObject({ name: "PermanentError", message: "refused" });

    expect(await taskqJson(["dlq", "purge", ids[0], ...r])).toEqual({ purged: 1 });
    expect(await taskqJson(["dlq", "retry", "--name", "deleteTweet", ...r])).toEqual({ retried: 0 });
    expect(await taskqJson(["dlq", "retry", "--name", "tweet", "--queue", "social", ...r])).toEqual({ retried: jobs.length - 1 });
    expect((await taskqJson(["dlq", "list", ...r])).jobs).toEqual([]);
    await killTweets(2); // its worker also runs (and kills) the jobs just retried
    const dead = (await taskqJson(["dlq", "list", ...r])).jobs.length;
    expect(dead).toBeGreaterThanOrEqual(2);
    expect(await taskqJson(["dlq", "purge", "--all", ...r])).toEqual({ purged: dead });
    expect((await taskqJson(["dlq", "list", ...r])).jobs).toEqual([]);
    const bare = await taskq(["dlq", "retry", ...r]);
    expect(bare).toMatchObject({ code: 2, stderr: "taskq: say which dead jobs to retry: ids, --name <job> or --all\n" });
  });

  it("lists schedules and removes one by id", async () => {
    const handle = await client.schedule(definitions.tweet, { cron: "0 9 * * *", tz: "Europe/Paris" }, { content: "good morning" });
    const { schedules } = await taskqJson(["schedules", "list", "--redis", redis.url]);
    expect(schedules).toEqual([
      expect.objectContaining({ id: handle.id, queue: "social", name: "tweet", schedule: { cron: "0 9 * * *", tz: "Europe/Paris" } }),
    ]);
    expect(await taskqJson(["schedules", "remove", handle.id, "--redis", redis.url])).toEqual({
      id: handle.id,
      queue: "social",
      prefix: "taskq",
      removed: true,
    });
    expect((await taskq(["schedules", "remove", handle.id, "--redis", redis.url])).stderr).toBe(`taskq: schedule ${handle.id} not found\n`);
  });

  it("says so when Redis does not answer, without a stack trace", async () => {
    const result = await taskq(["workers", "--redis", "redis://127.0.0.1:1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^taskq: Redis does not answer at redis:\/\/127\.0\.0\.1:1 .*\n$/);
  });
});
