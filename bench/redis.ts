/**
 * The bench's Redis: its own throwaway `redis-server` on a free port (test/support's `startRedis`),
 * or the one given by `--redis`/`BENCH_REDIS_URL`. Also what the bench asks Redis directly: flushing
 * one system's keys by pattern (never FLUSHALL, so a shared server keeps everything else),
 * `used_memory`, and the CPU time the server has used (to charge each job its share of it).
 */
import { Redis } from "ioredis";
import { startRedis } from "../test/support/redis-server.js";

export interface BenchRedis {
  readonly url: string;
  /** The `redis_version` of the server. */
  readonly version: string;
  /** Deletes every key matching the patterns (SCAN + UNLINK), then waits for lazy frees to finish. */
  flush(patterns: readonly string[]): Promise<number>;
  /** `used_memory` of INFO memory, in bytes. */
  usedMemoryBytes(): Promise<number>;
  /** `used_cpu_sys` + `used_cpu_user` of INFO cpu: seconds of CPU the server has used, all its threads. */
  cpuSeconds(): Promise<number>;
  /** The pid of the bench's own `redis-server`; undefined for one given with `--redis`. */
  readonly serverPid: number | undefined;
  /** The admin connection, for INFO and counters. */
  readonly admin: Redis;
  close(): Promise<void>;
}

export async function openBenchRedis(url: string | undefined): Promise<BenchRedis> {
  const own = url ? undefined : await startRedis();
  const target = url ?? own!.url;
  const admin = new Redis(target, { lazyConnect: true });
  await admin.connect();
  const version = /redis_version:(\S+)/.exec(await admin.info("server"))?.[1] ?? "unknown";
  return {
    url: target,
    version,
    admin,
    serverPid: own?.process.pid,
    async flush(patterns) {
      let deleted = 0;
      for (const pattern of patterns) {
        let cursor = "0";
        do {
          const [next, keys] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 5_000);
          cursor = next;
          if (keys.length > 0) deleted += await admin.unlink(...keys);
        } while (cursor !== "0");
      }
      // UNLINK frees in the background: wait until lazyfree is done, so memory and timings start clean.
      for (let i = 0; i < 200 && /lazyfree_pending_objects:[1-9]/.test(await admin.info("memory")); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      return deleted;
    },
    async usedMemoryBytes() {
      return Number(/used_memory:(\d+)/.exec(await admin.info("memory"))?.[1]);
    },
    async cpuSeconds() {
      const info = await admin.info("cpu");
      const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1]);
      return field("used_cpu_sys") + field("used_cpu_user");
    },
    async close() {
      await admin.quit().catch(() => admin.disconnect());
      await own?.stop();
    },
  };
}
