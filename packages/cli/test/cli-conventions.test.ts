/**
 * What every command keeps to: exit codes (0 success, 1 the operation failed, 2 usage, commander's
 * own usage errors included), errors under `--json` as one JSON object `{ code, message }` on stderr,
 * `--prefix` where a command touches queues, and a purge of ids that do not exist said once.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@taskq/runtime";
import { definitions } from "../../../examples/tweet/generated/client.js";
import { freePort, startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { exitOf, startTaskq, taskq } from "./run-cli.js";

let redis: TestRedis;
let r: string[];

beforeAll(async () => {
  redis = await startRedis();
  r = ["--redis", redis.url];
});
afterAll(async () => {
  await redis.stop();
});

/** stderr as the one JSON object it must be under --json. */
function jsonError(stderr: string): { code: string; message: string } {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  const error = JSON.parse(lines[0]) as { code: string; message: string };
  expect(Object.keys(error).sort()).toEqual(["code", "message"]);
  return error;
}

describe("exit codes and --json errors", () => {
  it("exits 2 on commander's usage errors, as text or, under --json, as a JSON object", async () => {
    const [unknownOption, unknownJson, missingJson] = await Promise.all([
      taskq(["stats", "--bogus", ...r]),
      taskq(["stats", "--bogus", "--json", ...r]),
      taskq(["jobs", "get", "--json", ...r]),
    ]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/unknown option '--bogus'/);
    expect(unknownJson.code).toBe(2);
    expect(jsonError(unknownJson.stderr)).toEqual({ code: "E_USAGE", message: expect.stringMatching(/^unknown option '--bogus'/) });
    expect(missingJson.code).toBe(2);
    expect(jsonError(missingJson.stderr)).toMatchObject({ code: "E_USAGE", message: expect.stringContaining("missing required argument") });
  }, 60_000);

  it("exits 2 on taskq's own usage errors and 1 when the operation fails, with the error's code under --json", async () => {
    const down = `redis://127.0.0.1:${await freePort()}`;
    const [badState, notFound, noRedis] = await Promise.all([
      taskq(["jobs", "list", "--state", "lost", "--json", ...r]),
      taskq(["jobs", "get", "nope", "--json", ...r]),
      taskq(["stats", "--json", "--redis", down]),
    ]);
    expect(badState.code).toBe(2);
    expect(jsonError(badState.stderr)).toEqual({ code: "E_USAGE", message: expect.stringContaining("unknown state lost") });
    expect(notFound.code).toBe(1);
    expect(jsonError(notFound.stderr)).toEqual({ code: "E_NOT_FOUND", message: "job nope not found" });
    expect(notFound.stdout).toBe("");
    expect(noRedis.code).toBe(1);
    expect(jsonError(noRedis.stderr)).toMatchObject({ code: "E_REDIS_UNAVAILABLE", message: expect.stringContaining("Redis does not answer") });
  }, 60_000);

  it("says once that purged or retried ids are not dead jobs, exits 1, and prints no count of 0", async () => {
    const client = new Client({ connection: redis.url });
    await client.enqueue(definitions.tweet, { content: "makes the queue exist" });
    await client.close();
    const [purge, purgeJson, retry] = await Promise.all([
      taskq(["dlq", "purge", "nope1", "nope2", "--queue", "social", ...r]),
      taskq(["dlq", "purge", "nope1", "--json", ...r]),
      taskq(["dlq", "retry", "nope1", ...r]),
    ]);
    expect(purge).toEqual({ code: 1, stdout: "", stderr: "taskq: none of nope1, nope2 is in the dead-letter queue of social: nothing purged\n" });
    expect(purgeJson.code).toBe(1);
    expect(purgeJson.stdout).toBe("");
    expect(jsonError(purgeJson.stderr)).toEqual({ code: "E_NOT_FOUND", message: "none of nope1 is in a dead-letter queue: nothing purged" });
    expect(retry).toMatchObject({ code: 1, stdout: "" });
    expect(retry.stderr.match(/nope1/g)).toHaveLength(1);
  }, 60_000);
});

describe("--version", () => {
  it("prints the packages' version, loading no command (no Redis client, no TypeScript compiler); help loads no compiler", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    // NODE_DEBUG=module logs every CommonJS module loaded: ioredis and ts-morph are, through the commands.
    const [long, short, help] = await Promise.all([taskq(["--version"], { NODE_DEBUG: "module" }), taskq(["-V"]), taskq(["--help"], { NODE_DEBUG: "module" })]);
    expect([long.code, long.stdout.trim(), short.code, short.stdout.trim()]).toEqual([0, version, 0, version]);
    expect(long.stderr).not.toMatch(/ioredis|ts-morph/);
    // Help lists every command, so it loads them (the check above can fail), but not the code
    // generator, which only a generate loads.
    expect(help.stderr).toMatch(/ioredis/);
    expect(help.stderr).not.toMatch(/ts-morph/);
  });
});

describe("--prefix", () => {
  it("is taken by worker (selecting jobs.ts queues by prefix) and refused there when no queue has it", async () => {
    const none = await taskq(["worker", "examples/tweet/generated", "--prefix", "other", ...r]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("taskq: no queue of jobs.ts has the prefix other (its prefixes: taskq)\n");
    const { child } = await startTaskq(["worker", "examples/tweet/generated", "--prefix", "taskq", ...r], /serving social/);
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
  });

  it("is taken by serve, which then shows only queues under it", async () => {
    const client = new Client({ connection: redis.url });
    await client.enqueue(definitions.tweet, { content: "under taskq" });
    await client.close();
    const { child, match } = await startTaskq(["serve", "--port", "0", "--prefix", "elsewhere", ...r], /http:\/\/127\.0\.0\.1:(\d+)\//);
    try {
      const stats = (await (await fetch(`http://127.0.0.1:${match[1]}/stats`)).json()) as { queues: unknown[] };
      expect(stats.queues).toEqual([]);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exitOf(child)).toBe(0);
  });
});
