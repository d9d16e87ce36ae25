/**
 * The README's first command, as a newcomer runs it: `npm run example` generates the tweet example's
 * code, starts a worker, enqueues tweets, prints each outcome and exits.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { freePort, startRedis, type TestRedis } from "../support/redis-server.js";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;
let server: TestRedis;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

async function example(env: Record<string, string>) {
  const { stdout } = await run("npm", ["run", "--silent", "example"], {
    cwd: root,
    env: { ...process.env, ...env, REDIS_URL: "" },
    timeout: 90_000,
  });
  return stdout;
}

// The two runs at once: each spends most of its time waiting out the fake Twitter's retry backoffs,
// and neither touches the other's Redis (the second starts its own). `taskq generate` finds the
// committed code up to date and writes nothing.
describe.concurrent("npm run example", () => {
  it("runs typed tweets through Redis and prints every outcome", async ({ expect }) => {
    const out = await example({ TASKQ_REDIS_URL: server.url });
    expect(out).toMatch(/refused before anything was written: invalid payload of tweet: \/content: maxLength/);
    expect(out).toMatch(/enqueued 9 tweets/);
    expect(out).toMatch(/✔ job \d+ completed: tweet id \w+/);
    expect(out).toMatch(/✘ job \d+ dead-lettered after 1 attempt: .*refused as spam/);
    const done = /done: (\d+) completed, (\d+) dead-lettered/.exec(out);
    expect(done).not.toBeNull();
    expect(Number(done![1]) + Number(done![2])).toBe(9);
  }, 120_000);

  it("starts a throwaway redis-server when nothing answers, and says so", async ({ expect }) => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const out = await example({ TASKQ_REDIS_URL: nobody });
    expect(out).toContain(`No Redis answers at ${nobody}; started a throwaway redis-server`);
    expect(out).toMatch(/done: \d+ completed/);
  }, 120_000);
});
