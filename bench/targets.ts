/**
 * The targets of issue 18, as ratios in the table's convention (> 1 means taskq is better): each is
 * met when taskq's ratio to the named system reaches `atLeast`.
 */
import type { SystemId } from "./systems/system.js";

export interface Target {
  readonly what: string;
  readonly metric: string;
  readonly versus: Exclude<SystemId, "taskq">;
  readonly atLeast: number;
}

export const TARGETS: readonly Target[] = [
  { what: "sequential enqueue ≥ 1.0× Bee-Queue", metric: "single", versus: "bee", atLeast: 1 },
  { what: "sequential enqueue ≥ 1.4× BullMQ", metric: "single", versus: "bullmq", atLeast: 1.4 },
  { what: "latency p50 no worse than Bee-Queue", metric: "latency-p50", versus: "bee", atLeast: 1 },
  { what: "latency p99 no worse than Bee-Queue", metric: "latency-p99", versus: "bee", atLeast: 1 },
  { what: "drain c=100 ≥ 3× BullMQ", metric: "drain-c100", versus: "bullmq", atLeast: 3 },
  { what: "drain c=100 ≥ 2.5× Bee-Queue", metric: "drain-c100", versus: "bee", atLeast: 2.5 },
  { what: "drain c=10 ≥ 1.5× BullMQ", metric: "drain-c10", versus: "bullmq", atLeast: 1.5 },
  { what: "drain c=10 ≥ 1.5× Bee-Queue", metric: "drain-c10", versus: "bee", atLeast: 1.5 },
  { what: "bulk enqueue ≥ 1.5× Bee-Queue", metric: "bulk", versus: "bee", atLeast: 1.5 },
  // bytes ≤ 1.1× Bee's  ⇔  Bee's / taskq's ≥ 1 / 1.1
  { what: "memory per waiting job ≤ 1.1× Bee-Queue", metric: "memory", versus: "bee", atLeast: 1 / 1.1 },
];
