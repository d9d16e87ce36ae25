/**
 * `durable` enqueues: acknowledged only once a replica has the job (`WAIT` on the same connection),
 * refused with `E_NOT_DURABLE` when no replica confirms in time. The failover test in test/chaos
 * shows what this buys: no acknowledged job lost when a master dies.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Client, TaskqError, ValidationError } from "../src/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { tweetJob, uniquePrefix } from "./fixtures.js";

let master: TestRedis;
let replica: TestRedis;
let lonely: TestRedis;

beforeAll(async () => {
  // The replica's first sync starts at once, not after the 5 s Redis 7 waits by default for more
  // replicas to share a diskless transfer (the wait below gave up at 5 s, about when the link came up).
  master = await startRedis(["--repl-diskless-sync-delay", "0"]);
  replica = await startRedis();
  lonely = await startRedis();
  const admin = new Redis(replica.url);
  await admin.replicaof("127.0.0.1", master.port);
  for (let i = 0; i < 200 && !(await admin.info("replication")).includes("master_link_status:up"); i++) await new Promise((r) => setTimeout(r, 25));
  admin.disconnect();
});
afterAll(async () => {
  await Promise.all([master, replica, lonely].map((s) => s?.stop()));
});

describe("durable enqueue", () => {
  it("resolves once a replica holds the job, which the replica then has", async () => {
    const client = new Client({ connection: master.url });
    const job = tweetJob(uniquePrefix());
    const handle = await client.enqueue(job, { content: "kept" }, { durable: true });
    const onReplica = new Redis(replica.url);
    // A waiting job's data entry holds it whole (store/pending-job.ts).
    expect(await onReplica.hexists(`${job.queue.prefix}:{social}:data`, handle.id)).toBe(1);
    const [bulk] = await client.enqueueBulk(job, [{ payload: { content: "bulk" }, options: { durable: { replicas: 1, timeoutMs: 500 } } }]);
    expect(await onReplica.hexists(`${job.queue.prefix}:{social}:data`, bulk.id)).toBe(1);
    onReplica.disconnect();
    await client.close();
  });

  it("rejects with E_NOT_DURABLE when no replica confirms within timeoutMs", async () => {
    const client = new Client({ connection: lonely.url });
    const job = tweetJob(uniquePrefix());
    const started = Date.now();
    const error = await client.enqueue(job, { content: "alone" }, { durable: { timeoutMs: 200 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskqError);
    expect((error as TaskqError).code).toBe("E_NOT_DURABLE");
    expect((error as Error).message).toMatch(/0 of 1 replicas confirmed it within 200 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await client.close();
  });

  it("refuses a malformed durable option before writing", async () => {
    const client = new Client({ connection: lonely.url });
    const job = tweetJob(uniquePrefix());
    await expect(client.enqueue(job, { content: "x" }, { durable: { replicas: 0 } })).rejects.toBeInstanceOf(ValidationError);
    expect(await client.redis.keys(`${job.queue.prefix}:*`)).toEqual([]);
    await client.close();
  });
});
