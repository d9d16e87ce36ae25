/**
 * CPU cost per job on each side of the wire: this process's `process.cpuUsage()` (user + system,
 * every thread: the producer, or the worker, with its client library and GC) and the server's
 * `INFO cpu` (`used_cpu_sys` + `used_cpu_user`), each as the delta over a measurement divided by
 * its jobs. Unlike throughput this does not move much when other processes take turns on the
 * cores, so it is the figure to compare against the physical limit (see probes.ts).
 *
 * The Redis side includes whatever else the server did meanwhile: its own cron (a few µs every
 * 100 ms) and, on a server given with `--redis`, other clients' commands.
 */
import type { BenchRedis } from "./redis.js";

export interface CpuCost {
  /** µs of this process's CPU per job. */
  readonly clientUs: number;
  /** µs of Redis's CPU per job. */
  readonly redisUs: number;
}

/** Starts measuring; the returned function stops and divides by `jobs`. */
export async function startCpuMeter(redis: BenchRedis): Promise<(jobs: number) => Promise<CpuCost>> {
  const redisBefore = await redis.cpuSeconds();
  const before = process.cpuUsage();
  return async (jobs) => {
    const used = process.cpuUsage(before);
    const redisAfter = await redis.cpuSeconds();
    return { clientUs: (used.user + used.system) / jobs, redisUs: ((redisAfter - redisBefore) * 1e6) / jobs };
  };
}
