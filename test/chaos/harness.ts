/**
 * Chaos harness: real worker processes (worker-process.ts) against a real redis-server, killed,
 * paused and restarted, and the bookkeeping that says whether any job was lost or run twice.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Cluster, Redis } from "ioredis";
import { targetEnv, type ChaosTarget } from "./target.js";
import { leaseHolder, payloadOfEntry } from "../../packages/runtime/src/store/index.js";

const entry = fileURLToPath(new URL("./worker-process.ts", import.meta.url));

export interface ChaosWorker {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Lines the worker printed ("completed <id>", "lost <id>", "failed <id> …", "closed"), with when. */
  readonly lines: Array<{ at: number; text: string }>;
  readonly exited: Promise<number | null>;
}

export interface ChaosEnv {
  target: ChaosTarget;
  deadAfterMs?: number;
  jobMs?: number;
  slowJobMs?: number;
  concurrency?: number;
  shutdownMs?: number;
}

export function spawnWorker(env: ChaosEnv): Promise<ChaosWorker> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      ...targetEnv(env.target),
      CHAOS_DEAD_AFTER_MS: env.deadAfterMs === undefined ? "" : String(env.deadAfterMs),
      CHAOS_JOB_MS: String(env.jobMs ?? 20),
      CHAOS_SLOW_JOB_MS: String(env.slowJobMs ?? 3_000),
      CHAOS_CONCURRENCY: String(env.concurrency ?? 10),
      CHAOS_SHUTDOWN_MS: String(env.shutdownMs ?? 5_000),
    },
  });
  const lines: Array<{ at: number; text: string }> = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith("ready ")) resolve({ pid: child.pid!, child, lines, exited });
        else lines.push({ at: Date.now(), text: line });
      }
    });
    void exited.then((code) => reject(new Error(`chaos worker exited with ${code} before it was ready`)));
  });
}

export function kill(worker: ChaosWorker, signal: NodeJS.Signals = "SIGKILL"): void {
  worker.child.kill(signal);
}

export interface RunRecord {
  at: number;
  pid: number;
}

/** Every recorded run, by tweet id, in start order. */
export async function readRuns(redis: Redis | Cluster): Promise<Map<string, RunRecord[]>> {
  const runs = new Map<string, RunRecord[]>();
  for (const line of await redis.lrange("chaos:log", 0, -1)) {
    const [id, at, pid] = line.split(" ");
    const list = runs.get(id) ?? [];
    list.push({ at: Number(at), pid: Number(pid) });
    runs.set(id, list);
  }
  return runs;
}

/** Jobs the given worker process holds right now (its leases in the active set, their holders in `leases`). */
export async function jobsHeldBy(redis: Redis | Cluster, pid: number, queueBase = "taskq:{social}:"): Promise<string[]> {
  const active = await redis.zrangebyscore(`${queueBase}active`, "-inf", "(+inf");
  if (active.length === 0) return [];
  const leases = await redis.hmget(`${queueBase}leases`, ...active);
  return active.filter((id, i) => (leaseHolder(id, leases[i]) ?? "").includes(`:${pid}:`));
}

/** Maps a job id to its payload's tweet id (the chaos log records tweet ids); payloads live in the queue's `data` hash. */
export async function tweetIdOf(redis: Redis | Cluster, jobId: string, queueBase = "taskq:{social}:"): Promise<string> {
  const data = payloadOfEntry(await redis.hget(`${queueBase}data`, jobId));
  return (JSON.parse(String(data ?? "{}")) as { tweetId?: string }).tweetId ?? "";
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
