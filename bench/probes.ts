/**
 * Physical-limit probes: what the bare transport costs on this machine, so that the distance from
 * each figure to its floor is known. From one ioredis client configured as taskq's (RESP2), against
 * the same Redis as the systems:
 *
 * - `EVALSHA` of an empty script — the floor of any one-script enqueue, fetch or completion;
 * - `LPUSH` of a 64-byte value — the floor of any enqueue at all (Bee-Queue's enqueue is a script too);
 *
 * each sequential (await every reply: the round trip, as in workload 2 and in latency) and pipelined
 * (batches of 1,000 in one write: the per-command cost once round trips are shared, as in bulk and
 * drain). Each gives wall µs per op and the CPU per op of this process and of Redis.
 */
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

/** Runs the four probes once: `sequentialOps` one at a time, then `sequentialOps × 10` pipelined. */
export async function runProbes(redis: BenchRedis, sequentialOps: number): Promise<ProbeResult[]> {
  const client = new Redis(redis.url, { protocol: 2, lazyConnect: true });
  await client.connect();
  try {
    const sha = (await client.script("LOAD", "")) as string;
    const evalsha = () => client.evalsha(sha, 0);
    const lpush = () => client.lpush(LIST_KEY, VALUE);
    const pipelinedOps = sequentialOps * 10;
    const results: ProbeResult[] = [];
    const measure = async (key: string, label: string, ops: number, run: () => Promise<unknown>) => {
      await redis.flush(PROBE_KEY_PATTERNS);
      const meter = await startCpuMeter(redis);
      const start = performance.now();
      await run();
      const wallUs = ((performance.now() - start) * 1000) / ops;
      const cost = await meter(ops);
      results.push({ key, label, ops, wallUs, clientUs: cost.clientUs, redisUs: cost.redisUs });
    };
    const sequential = (op: () => Promise<unknown>) => async () => {
      for (let i = 0; i < sequentialOps; i++) await op();
    };
    const pipelined = (add: (p: ReturnType<Redis["pipeline"]>) => void) => async () => {
      for (let done = 0; done < pipelinedOps; done += BATCH) {
        const pipeline = client.pipeline();
        for (let i = 0; i < BATCH; i++) add(pipeline);
        await pipeline.exec();
      }
    };
    await measure("evalsha-seq", "EVALSHA empty script, sequential", sequentialOps, sequential(evalsha));
    await measure("lpush-seq", "LPUSH 64 B, sequential", sequentialOps, sequential(lpush));
    await measure("evalsha-pipe", `EVALSHA empty script, pipelined ×${BATCH}`, pipelinedOps, pipelined((p) => p.evalsha(sha, 0)));
    await measure("lpush-pipe", `LPUSH 64 B, pipelined ×${BATCH}`, pipelinedOps, pipelined((p) => p.lpush(LIST_KEY, VALUE)));
    return results;
  } finally {
    await client.quit().catch(() => client.disconnect());
    await redis.flush(PROBE_KEY_PATTERNS);
  }
}
