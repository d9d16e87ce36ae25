import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@taskq/runtime";
import { definitions } from "../../../examples/tweet/generated/client.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { exitOf, startTaskq, taskq, taskqJson } from "./run-cli.js";

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

describe("taskq worker", () => {
  it("runs the generated worker with its metrics, shows up in `workers`, and exits 0 on SIGTERM", async () => {
    const { child, match } = await startTaskq(
      ["worker", "examples/tweet/generated", "--redis", redis.url, "--queues", "social", "--concurrency", "2", "--metrics-port", "0"],
      /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics[\s\S]*serving social/,
    );
    try {
      const spam = await client.enqueue(definitions.tweet, { content: "buy spam now" });
      await expect(spam.result({ timeoutMs: 10_000 })).rejects.toMatchObject({ code: "E_JOB_FAILED" });
      const { workers } = await taskqJson(["workers", "--redis", redis.url]);
      expect(workers).toEqual([expect.objectContaining({ state: "live", queues: ["social"], concurrency: { social: 2 } })]);
      const metrics = await (await fetch(`http://127.0.0.1:${match[1]}/metrics`)).text();
      expect(metrics).toMatch(/^taskq_jobs_finished_total\{queue="social",job="tweet",outcome="dead"\} 1$/m);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exitOf(child)).toBe(0);
  });

  it("refuses an unknown queue and a folder that was not generated", async () => {
    const queue = await taskq(["worker", "examples/tweet/generated", "--queues", "nope", "--redis", redis.url]);
    expect(queue).toMatchObject({ code: 2, stderr: "taskq: unknown queue(s) nope: jobs.ts has social\n" });
    const dir = await taskq(["worker", "packages", "--redis", redis.url]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/not a folder written by `taskq generate`/);
  });
});

describe("taskq serve", () => {
  it("serves the REST API on loopback, enqueuing the generated folder's jobs", async () => {
    const { child, match } = await startTaskq(
      ["serve", "--port", "0", "--generated", "examples/tweet/generated", "--redis", redis.url],
      /http:\/\/127\.0\.0\.1:(\d+)\//,
    );
    try {
      const base = `http://127.0.0.1:${match[1]}`;
      const created = await fetch(`${base}/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "deleteTweet", payload: { tweetId: "42" } }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(await (await fetch(`${base}/jobs/${id}`)).json()).toMatchObject({ name: "deleteTweet", state: "waiting", priority: "low" });
      const bad = await fetch(`${base}/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "tweet", payload: {} }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/content/);
      expect((await fetch(`${base}/`)).headers.get("content-type")).toMatch(/text\/html/);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exitOf(child)).toBe(0);
  });
});
