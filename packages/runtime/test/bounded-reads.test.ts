/**
 * Issue 17, items 1, 2 and 9, over real HTTP on a real Redis: a REST read costs what its page costs,
 * not what the keyspace holds. Each test counts the Redis commands a request issues (INFO
 * commandstats after CONFIG RESETSTAT), so the bound is proven at a small scale; bench/operations.ts
 * measures the big one (2,000 queues, 20,000 dead jobs).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, PermanentError, Worker } from "../src/index.js";
import { type JobDefinition } from "../src/internal.js";
import { createApiServer, type ApiServer } from "../src/http/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { registration, tweetJob } from "./fixtures.js";

const QUEUES = 120;
const DEAD = 150;

let redis: TestRedis;
let admin: Redis;
let client: Client;
let server: ApiServer;
let base: string;
let graveyard: JobDefinition<any, any>;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  client = new Client({ connection: redis.url });
  for (let i = 0; i < QUEUES; i++) await client.enqueue(tweetJob("taskq", { queue: `q${String(i).padStart(3, "0")}` }), { content: `job ${i}` });
  graveyard = tweetJob("taskq", { queue: "zz-graveyard", attempts: 1 });
  const handles = await client.enqueueBulk(
    graveyard,
    Array.from({ length: DEAD }, (_, i) => ({ content: `dead ${i}` })),
  );
  const worker = new Worker({
    connection: redis.url,
    queues: [
      registration(
        graveyard,
        () => {
          throw new PermanentError("refused");
        },
        20,
      ),
    ],
  });
  await Promise.all(handles.map((h) => h.result({ timeoutMs: 10_000 }).catch(() => undefined)));
  await worker.close();
  server = await createApiServer({ connection: redis.url, tokens: {} });
  base = `http://127.0.0.1:${await server.listen({ port: 0 })}`;
});
afterAll(async () => {
  await server.close();
  await client.close();
  admin.disconnect();
  await redis.stop();
});

/** GETs `path` and counts the Redis commands it cost, by command name. */
async function costOf(path: string): Promise<{ status: number; body: any; commands: number; byName: Record<string, number> }> {
  await admin.config("RESETSTAT");
  const response = await fetch(`${base}${path}`);
  const body = await response.json();
  const stats = await admin.info("commandstats");
  const byName = Object.fromEntries([...stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  // Less this connection's CONFIG and INFO.
  const commands = Object.values(byName).reduce((a, b) => a + b, 0) - 2;
  return { status: response.status, body, commands, byName };
}

describe("bounded reads", () => {
  it("GET /jobs across 120 queues reads one page, discovers the queues once, and pages on with a cursor", async () => {
    await costOf("/jobs?state=waiting&limit=20"); // the first request discovers the queues
    const first = await costOf("/jobs?state=waiting&limit=20");
    expect(first.status).toBe(200);
    expect(first.body.jobs).toHaveLength(20);
    expect(first.body.jobs.map((j: { queue: string }) => j.queue)).toEqual(Array.from({ length: 20 }, (_, i) => `q${String(i).padStart(3, "0")}`));
    // Within the discovery's freshness no SCAN at all; before, each queue re-discovered every queue.
    expect(first.byName.scan ?? 0).toBe(0);
    // Sizes of the first queues, then 20 small reads: bounded by the page (before: thousands, growing with the square of the queues).
    expect(first.commands).toBeLessThan(400);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await costOf(`/jobs?state=waiting&limit=50${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      // About ten commands per job shown (each from its own queue here), plus the sizes of the queues walked.
      expect(page.commands).toBeLessThan(50 * 10 + QUEUES * 5);
      seen.push(...page.body.jobs.map((j: { queue: string; id: string }) => `${j.queue}/${j.id}`));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((s) => s.startsWith("q"))).toHaveLength(QUEUES);
    expect(pages).toBeLessThanOrEqual(4);
  });

  it("refuses a limit above 1,000 and a forged cursor with a 400", async () => {
    const big = await costOf("/jobs?state=waiting&limit=1001");
    expect(big.status).toBe(400);
    expect(big.body.details.issues[0].path).toBe("/limit");
    expect((await costOf("/jobs?state=waiting&limit=1000")).status).toBe(200);
    expect((await costOf("/dlq?limit=999999")).status).toBe(400);
    const forged = await costOf(`/jobs?cursor=${Buffer.from('["taskq","q001",-5]').toString("base64url")}`);
    expect(forged).toMatchObject({ status: 400, body: { error: expect.stringContaining("invalid cursor") } });
  });

  it("GET /dlq?limit=1 shows the newest death and reads only that job, whatever the dead-letter queue holds", async () => {
    const newest = await client.deadLetterQueue("zz-graveyard").page({ limit: DEAD });
    expect(newest.jobs).toHaveLength(DEAD);
    const times = newest.jobs.map((j) => j.diedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const one = await costOf("/dlq?limit=1&queue=zz-graveyard");
    expect(one.status).toBe(200);
    expect(one.body.jobs.map((j: { id: string }) => j.id)).toEqual([newest.jobs[0].id]);
    expect(one.body.nextCursor).toEqual(expect.any(String));
    // Before: three commands per dead job (150 jobs, 450 commands) for one shown.
    expect(one.commands).toBeLessThan(15);

    const next = await costOf(`/dlq?limit=2&cursor=${one.body.nextCursor}`);
    expect(next.body.jobs.map((j: { id: string }) => j.id)).toEqual(newest.jobs.slice(1, 3).map((j) => j.id));
    const all = await costOf("/dlq?limit=20");
    expect(all.body.jobs).toHaveLength(20);
    // One ZCARD per queue to find the non-empty ones, then one page of one queue.
    expect(all.commands).toBeLessThan(QUEUES + 80);
  });

  it("shows an unreadable error entry as such: /dlq, /jobs/:id and the DeadLetterQueue never fail on it", async () => {
    const [victim] = await client.deadLetterQueue("zz-graveyard").list({ limit: 1 });
    await admin.rpush(`taskq:{zz-graveyard}:errors:${victim.id}`, "{not json", JSON.stringify({ message: 7 }));
    await admin.hset(`taskq:{zz-graveyard}:job:${victim.id}`, "ct", "garbled");
    const dlq = await costOf("/dlq?limit=1&queue=zz-graveyard");
    expect(dlq.status).toBe(200);
    expect(dlq.body.jobs[0].errors.slice(-2)).toEqual([
      expect.objectContaining({ name: "UnreadableError", message: expect.stringContaining("{not json") }),
      expect.objectContaining({ name: "UnreadableError" }),
    ]);
    const job = await costOf(`/jobs/${victim.id}?queue=zz-graveyard`);
    expect(job.status).toBe(200);
    expect(job.body.errors.at(-1).name).toBe("UnreadableError");
    expect(await client.deadLetterQueue("zz-graveyard").purge({ name: "nothing-of-that-name" })).toBe(0);
  });

  it("pages a sharded queue's dead-letter queue newest death first across its shards, each job once", async () => {
    const sharded = tweetJob("taskq", { queue: "zz-sharded", attempts: 1, shards: 3 });
    const worker = new Worker({
      connection: redis.url,
      queues: [
        registration(sharded, () => {
          throw new PermanentError("no");
        }),
      ],
    });
    const dlq = client.deadLetterQueue("zz-sharded", "taskq", 3);
    for (let i = 0; i < 9; i++) await client.enqueue(sharded, { content: `s${i}` });
    for (let waited = 0; (await dlq.count()) < 9 && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await worker.close();
    expect(await dlq.count()).toBe(9);
    const all = (await dlq.page({ limit: 9 })).jobs;
    const seen: string[] = [];
    let from: number[] | undefined;
    do {
      const page = await dlq.page({ limit: 2, from });
      seen.push(...page.jobs.map((j) => j.id));
      from = page.next;
    } while (from);
    expect(seen).toEqual(all.map((j) => j.id));
    const times = all.map((j) => j.diedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(await dlq.purge({ name: "tweet" })).toBe(9);
  });
});
