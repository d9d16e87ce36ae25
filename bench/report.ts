/**
 * Turns the collected samples into the results: the median of each metric per system, taskq's ratio
 * to each other system (> 1 always means taskq is better), the targets' verdicts, the printed table
 * and the JSON written beside it.
 */
import type { ProbeResult } from "./probes.js";
import { median } from "./stats.js";
import type { SystemId } from "./systems/system.js";
import { TARGETS } from "./targets.js";
import type { MetricSpec } from "./workloads/workload.js";

export interface Row extends MetricSpec {
  readonly median: Partial<Record<SystemId, number>>;
  readonly samples: Partial<Record<SystemId, number[]>>;
  /** taskq's ratio to BullMQ and to Bee-Queue, oriented so that > 1 favours taskq. */
  readonly ratio: { bullmq?: number; bee?: number };
}

export interface Verdict {
  readonly target: string;
  readonly ratio: number | undefined;
  readonly result: "PASS" | "FALL SHORT" | "n/a";
}

export function buildRows(metrics: readonly MetricSpec[], samples: Map<string, Partial<Record<SystemId, number[]>>>): Row[] {
  return metrics.map((spec) => {
    const bySystem = samples.get(spec.key) ?? {};
    const med: Partial<Record<SystemId, number>> = {};
    for (const [id, values] of Object.entries(bySystem) as Array<[SystemId, number[]]>) med[id] = round(median(values));
    const ratio = (other: SystemId) => {
      const t = med.taskq,
        o = med[other];
      if (t === undefined || o === undefined || !(t > 0) || !(o > 0)) return undefined;
      return round(spec.better === "higher" ? t / o : o / t);
    };
    return { ...spec, median: med, samples: bySystem, ratio: { bullmq: ratio("bullmq"), bee: ratio("bee") } };
  });
}

export function judge(rows: readonly Row[]): Verdict[] {
  return TARGETS.map((t) => {
    const ratio = rows.find((r) => r.key === t.metric)?.ratio[t.versus];
    return { target: t.what, ratio, result: ratio === undefined ? "n/a" : ratio >= t.atLeast ? "PASS" : "FALL SHORT" };
  });
}

export function formatTable(rows: readonly Row[], verdicts: readonly Verdict[], repeat: number): string {
  const header = ["workload", "unit", "taskq", "BullMQ", "Bee-Queue", "taskq/BullMQ", "taskq/Bee"];
  const body = rows.map((r) => [
    r.label,
    r.unit,
    value(r.median.taskq, r.unit),
    value(r.median.bullmq, r.unit),
    value(r.median.bee, r.unit),
    times(r.ratio.bullmq),
    times(r.ratio.bee),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const out = [
    `Median of ${repeat} run(s). Ratios: > 1 means taskq is better (throughput: taskq ÷ other; time, latency, memory, CPU per job: other ÷ taskq).`,
    "CPU rows: µs of CPU per job in the bench process (producer or worker: process.cpuUsage) and in Redis (INFO cpu used_cpu_sys + used_cpu_user), over the same span as the row above.",
    "",
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...body.map(line),
    "",
    "Targets (issue 18):",
    ...verdicts.map((v) => `  ${v.result.padEnd(10)}  ${v.target.padEnd(38)} ${times(v.ratio)}`),
  ];
  return out.join("\n");
}

/** The probes as a table: the floor each workload's figure can be compared with. */
export function formatProbes(probes: readonly ProbeResult[], repeat: number): string {
  const header = ["physical-limit probe (one client; ioredis as taskq sets it, RESP2)", "ops", "wall µs/op", "ops/s", "client CPU µs/op", "Redis CPU µs/op"];
  const body = probes.map((p) => [
    p.label,
    p.ops.toLocaleString("en-US"),
    p.wallUs.toFixed(1),
    Math.round(1e6 / p.wallUs).toLocaleString("en-US"),
    p.clientUs.toFixed(1),
    p.redisUs.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [`Physical limits, median of ${repeat} run(s):`, "", line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function value(v: number | undefined, unit: MetricSpec["unit"]): string {
  if (v === undefined || Number.isNaN(v)) return "—";
  if (unit === "ms" || unit === "s") return v.toFixed(v < 10 ? 2 : 1);
  if (unit === "µs/job") return v.toFixed(1);
  return Math.round(v).toLocaleString("en-US");
}

function times(ratio: number | undefined): string {
  return ratio === undefined ? "—" : `${ratio.toFixed(2)}×`;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
