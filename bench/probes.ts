/**
 * Physical-limit probes: what the bare transport costs on this machine, so that the distance from
 * each figure to its floor is known. From one ioredis client configured as taskq's (RESP2; BullMQ's
 * client library too), and from one node_redis 3 client (Bee-Queue's), against the same Redis:
 *
 * - `EVALSHA` of an empty script — the floor of any one-script enqueue, fetch or completion;
 * - `LPUSH` of a 64-byte value — the floor of any enqueue at all (Bee-Queue's enqueue is a script too);
 *
 * each sequential (await every reply: the round trip, as in workload 2 and in latency) and pipelined
 * (batches of 1,000 in one write: the per-command cost once round trips are shared, as in bulk and
 * drain). Each gives wall µs per op and the CPU per op of this process and of Redis.
 */
import { createRequire } from "node:module";
import { Redis } from "ioredis";
import { startCpuMeter } from "./cpu.js";
import type { BenchRedis } from "./redis.js";

/** Commands per pipelined batch. */
const BATCH = 1_000;
const LIST_KEY = "tqprobe:{probe}:list";
const VALUE = "p".repeat(64);

/** The SCAN patterns of the probes' keys, for flushing. */
export const PROBE_KEY_PATTERNS = ["tqprobe:{probe}:*"];

export interface ProbeResult {
  readonly key: string;
  readonly label: string;
  readonly ops: number;
  /** Wall-clock µs per op. */
  readonly wallUs: number;
  /** This process's CPU µs per op (ioredis encoding, decoding, socket calls). */
  readonly clientUs: number;
  /** Redis's CPU µs per op. */
  readonly redisUs: number;
}

/** One client library's way to send the probes' commands. */
interface ProbeClient {
  readonly name: string;
  evalsha(sha: string): Promise<unknown>;
  lpush(): Promise<unknown>;
  /** Sends `count` of one command as one pipelined write, resolving with all the replies. */
  batch(command: "evalsha" | "lpush", sha: string, count: number): Promise<unknown>;
  close(): Promise<void>;
}

async function ioredisClient(url: string): Promise<ProbeClient> {
  const client = new Redis(url, { protocol: 2, lazyConnect: true });
  await client.connect();
  return {
    name: "ioredis",
    evalsha: (sha) => client.evalsha(sha, 0),
    lpush: () => client.lpush(LIST_KEY, VALUE),
    batch(command, sha, count) {
      const pipeline = client.pipeline();
      for (let i = 0; i < count; i++) {
        if (command === "evalsha") pipeline.evalsha(sha, 0);
        else pipeline.lpush(LIST_KEY, VALUE);
      }
      return pipeline.exec();
    },
    close: () =>
      client.quit().then(
        () => undefined,
        () => client.disconnect(),
      ),
  };
}

type Callback = (error: Error | null, reply: unknown) => void;
/** The little of node_redis 3's callback API the probes use (it ships no types of its own). */
interface NodeRedis {
  send_command(command: string, args: unknown[], callback: Callback): boolean;
  batch(commands: unknown[][]): { exec(callback: Callback): void };
  quit(callback: Callback): boolean;
  on(event: "error", listener: (error: Error) => void): void;
}

/** node_redis 3 as Bee-Queue loads it (its own dependency, not the workspace's). */
async function nodeRedisClient(url: string): Promise<ProbeClient> {
  const requireFromBee = createRequire(createRequire(import.meta.url).resolve("bee-queue"));
  const redis = requireFromBee("redis") as { createClient(url: string): NodeRedis };
  const client = redis.createClient(url);
  client.on("error", () => undefined);
  const send = (command: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => client.send_command(command, args, (error, reply) => (error ? reject(error) : resolve(reply))));
  await send("PING", []);
  return {
    name: "node_redis",
    evalsha: (sha) => send("EVALSHA", [sha, 0]),
    lpush: () => send("LPUSH", [LIST_KEY, VALUE]),
    batch(command, sha, count) {
      const one = command === "evalsha" ? ["evalsha", sha, 0] : ["lpush", LIST_KEY, VALUE];
      return new Promise((resolve, reject) =>
        client.batch(Array.from({ length: count }, () => one)).exec((error, replies) => (error ? reject(error) : resolve(replies))),
      );
    },
    close: () => new Promise((resolve) => client.quit(() => resolve())),
  };
}

/**
 * Runs the probes once for each client: `sequentialOps` one at a time, then `sequentialOps × 10`
 * pipelined in batches of 1,000.
 */
export async function runProbes(redis: BenchRedis, sequentialOps: number): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const open of [ioredisClient, nodeRedisClient]) results.push(...(await probeClient(redis, await open(redis.url), sequentialOps)));
  return results;
}

async function probeClient(redis: BenchRedis, client: ProbeClient, sequentialOps: number): Promise<ProbeResult[]> {
  try {
    // Loaded through the admin connection: scripts are the server's, so either client can call it.
    const sha = (await redis.admin.script("LOAD", "")) as string;
    const pipelinedOps = sequentialOps * 10;
    const results: ProbeResult[] = [];
    const measure = async (key: string, label: string, ops: number, run: () => Promise<unknown>) => {
      await redis.flush(PROBE_KEY_PATTERNS);
      const meter = await startCpuMeter(redis);
      const start = performance.now();
      await run();
      const wallUs = ((performance.now() - start) * 1000) / ops;
      const cost = await meter(ops);
      results.push({ key: `${client.name}:${key}`, label: `${client.name}: ${label}`, ops, wallUs, clientUs: cost.clientUs, redisUs: cost.redisUs });
    };
    const sequential = (op: () => Promise<unknown>) => async () => {
      for (let i = 0; i < sequentialOps; i++) await op();
    };
    const pipelined = (command: "evalsha" | "lpush") => async () => {
      for (let done = 0; done < pipelinedOps; done += BATCH) await client.batch(command, sha, BATCH);
    };
    await measure(
      "evalsha-seq",
      "EVALSHA empty script, sequential",
      sequentialOps,
      sequential(() => client.evalsha(sha)),
    );
    await measure(
      "lpush-seq",
      "LPUSH 64 B, sequential",
      sequentialOps,
      sequential(() => client.lpush()),
    );
    await measure("evalsha-pipe", `EVALSHA empty script, pipelined ×${BATCH}`, pipelinedOps, pipelined("evalsha"));
    await measure("lpush-pipe", `LPUSH 64 B, pipelined ×${BATCH}`, pipelinedOps, pipelined("lpush"));
    return results;
  } finally {
    await client.close();
    await redis.flush(PROBE_KEY_PATTERNS);
  }
}
