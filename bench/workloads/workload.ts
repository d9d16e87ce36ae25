/**
 * A workload: one thing the issue asks to measure, run the same way against every system. One run
 * gives one value per metric; main.ts repeats runs and keeps the median.
 */
import type { CpuCost } from "../cpu.js";
import type { BenchRedis } from "../redis.js";
import type { BenchSystem } from "../systems/system.js";

export interface MetricSpec {
  /** Stable id in the JSON and the targets (`drain-c100`). */
  readonly key: string;
  /** The row's label in the table (`3. drain c=100 (100,000 jobs)`). */
  readonly label: string;
  readonly unit: "jobs/s" | "ms" | "s" | "bytes/job" | "µs/job";
  /** Which way is better: the ratio columns turn "lower" around so that > 1 always favours taskq. */
  readonly better: "higher" | "lower";
}

export interface RunContext {
  readonly system: BenchSystem;
  readonly redis: BenchRedis;
  /** Deletes this system's keys, so each measurement starts from an empty queue. */
  readonly reset: () => Promise<void>;
}

export interface Workload {
  readonly id: number;
  readonly name: string;
  /** The metrics one run yields, their labels showing the job counts at this scale. */
  readonly metrics: readonly MetricSpec[];
  run(context: RunContext): Promise<Record<string, number>>;
}

/** A job count scaled by `--scale`, never below `min`. */
export function scaled(count: number, scale: number, min: number): number {
  return Math.max(min, Math.round(count * scale));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `100000` → `100,000`. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * The two CPU-cost rows that go with a throughput row: `<key>:cpu-client` (this process: the
 * producer or the worker) and `<key>:cpu-redis`, in µs per job.
 */
export function cpuMetrics(key: string, label: string, side: "producer" | "worker"): MetricSpec[] {
  return [
    { key: `${key}:cpu-client`, label: `   ${label}: ${side} CPU`, unit: "µs/job", better: "lower" },
    { key: `${key}:cpu-redis`, label: `   ${label}: Redis CPU`, unit: "µs/job", better: "lower" },
  ];
}

/** The values of `cpuMetrics(key, …)`. */
export function cpuValues(key: string, cost: CpuCost): Record<string, number> {
  return { [`${key}:cpu-client`]: cost.clientUs, [`${key}:cpu-redis`]: cost.redisUs };
}
