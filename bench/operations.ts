/**
 * What one REST read costs with many queues and many dead jobs (issue 17, items 1–2): the time of
 * `GET /jobs?state=waiting&limit=20` with 250, 1,000 and 2,000 queues (one waiting job each) and of
 * `GET /dlq?limit=1` with 20,000 dead jobs, the growth of the server's memory (RSS) during the request,
 * and the Redis commands it issued (INFO commandstats). The server runs in this process, on its own
 * throwaway redis-server. Slow setups, so not part of the test suite: `npm run bench:operations`.
 *
 *   npm run bench:operations -- --queues 250,1000,2000 --dead 20000 --timeout-ms 60000
 */
import { Redis } from "ioredis";
import { Type } from "typebox";
import { Client, PermanentError, Worker } from "@taskq/runtime";
import { DEFAULT_PREFIX } from "@taskq/runtime/contract";
import { createCodec, defineJob, defineQueue, type JobDefinition } from "@taskq/runtime/internal";
import { createApiServer } from "@taskq/runtime/http";
import { startRedis, type TestRedis } from "../test/support/redis-server.js";

const args = new Map(process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith("--") ? [[arg.slice(2), all[i + 1]]] : [])));
const QUEUE_COUNTS = (args.get("queues") ?? "250,1000,2000").split(",").map(Number);
const DEAD_JOBS = Number(args.get("dead") ?? 20_000);
const TIMEOUT_MS = Number(args.get("timeout-ms") ?? 60_000);

const Body = createCodec<{ n: number }>(Type.Object({ n: Type.Number() }));
const job = (queue: string): JobDefinition<{ n: number }, void> =>
  defineJob({
    name: "work",
    queue: defineQueue({ prefix: DEFAULT_PREFIX, name: queue }),
    priority: "normal",
    attempts: 1,
    backoff: { type: "fixed", delayMs: 10 },
    keepResultMs: 3_600_000,
    version: 1,
    payload: Body,
    result: createCodec<void>(Type.Any()),
  });

async function commandCount(admin: Redis): Promise<number> {
  const stats = await admin.info("commandstats");
  return [...stats.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

/** The GET three times against a fresh server: the first (its queue discovery included) and the two after. */
async function measure(redis: TestRedis, admin: Redis, path: string): Promise<string> {
  const server = await createApiServer({ connection: redis.url, tokens: {} });
  const port = await server.listen({ port: 0, host: "127.0.0.1" });
  try {
    await fetch(`http://127.0.0.1:${port}/openapi.json`); // warm the server up
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await measureOnce(admin, port, path));
    return `${path}: first ${runs[0]}; then ${runs[1]}; ${runs[2]}`;
  } finally {
    await server.close().catch(() => undefined);
  }
}

/** One GET: wall time, peak RSS growth sampled every 5 ms, Redis commands. */
async function measureOnce(admin: Redis, port: number, path: string): Promise<string> {
  {
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
    const commandsBefore = await commandCount(admin);
    const started = performance.now();
    let outcome: string;
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = (await response.json()) as { jobs?: unknown[] };
      outcome = `${response.status}, ${body.jobs?.length ?? "?"} jobs`;
    } catch (error) {
      outcome = `gave up after ${TIMEOUT_MS} ms (${(error as Error).name})`;
    }
    const ms = performance.now() - started;
    clearInterval(sampler);
    const commands = (await commandCount(admin)) - commandsBefore - 1; // less the INFO itself
    return `${ms.toFixed(1)} ms, RSS +${((rssPeak - rssBefore) / 1e6).toFixed(1)} MB, ${commands} Redis commands (${outcome})`;
  }
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const admin = new Redis(redis.url);
  const client = new Client({ connection: redis.url });
  try {
    let made = 0;
    for (const count of QUEUE_COUNTS) {
      for (; made < count; made++) await client.enqueue(job(`q${String(made).padStart(5, "0")}`), { n: made });
      console.log(`${count} queues: ${await measure(redis, admin, "/jobs?state=waiting&limit=20")}`);
    }
    // The dead jobs go to a queue of their own, killed by a worker that refuses every one.
    const dead = job("graveyard");
    for (let i = 0; i < DEAD_JOBS; i += 1_000)
      await client.enqueueBulk(
        dead,
        Array.from({ length: Math.min(1_000, DEAD_JOBS - i) }, (_, n) => ({ n: i + n })),
      );
    const worker = new Worker({
      connection: redis.url,
      queues: [
        {
          name: "graveyard",
          prefix: DEFAULT_PREFIX,
          concurrency: 200,
          jobs: {
            work: {
              definition: dead,
              handler: () => {
                throw new PermanentError("refused");
              },
            },
          },
        },
      ],
    });
    while ((await admin.zcard("taskq:{graveyard}:dead")) < DEAD_JOBS) await new Promise((r) => setTimeout(r, 200));
    await worker.close();
    console.log(`${DEAD_JOBS} dead jobs, ${made} other queues: ${await measure(redis, admin, "/dlq?limit=1")}`);
    console.log(`${DEAD_JOBS} dead jobs, one queue: ${await measure(redis, admin, "/dlq?limit=1&queue=graveyard")}`);
  } finally {
    await client.close();
    admin.disconnect();
    await redis.stop();
  }
}

await main();
