/**
 * `npm run bench`: the same eight workloads against taskq, BullMQ and Bee-Queue on one Redis, each
 * measurement repeated and its median reported, with the CPU each side spends per job and the bare
 * transport's probes beside them, printed as a table and written as JSON.
 *
 *   npm run bench -- [--repeat 3] [--scale 1] [--only taskq,bullmq,bee] [--workloads 1,3]
 *                    [--redis redis://…] [--out bench/results/latest.json] [--no-pin]
 *
 * With its own redis-server and two or more cores, the server and this process are pinned to
 * different cores (pinning.ts), so each system's figures are its own cost.
 * Each system first gets an untimed warm-up. Runs are interleaved (each repetition runs every system
 * in turn, starting with a different one each time) so a slow patch of the machine or a warmer JIT
 * favours none. Every measurement opens a fresh producer, starts from an empty queue and deletes its
 * keys after.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pinProcesses, type Pinning } from "./pinning.js";
import { runProbes, type ProbeResult } from "./probes.js";
import { openBenchRedis } from "./redis.js";
import { buildRows, formatProbes, formatTable, judge } from "./report.js";
import { median } from "./stats.js";
import { openBeeQueue } from "./systems/bee-queue.js";
import { openBullmq } from "./systems/bullmq.js";
import { SYSTEM_IDS, type OpenSystem, type SystemId } from "./systems/system.js";
import { openTaskq } from "./systems/taskq.js";
import { warmUp } from "./warmup.js";
import { allWorkloads } from "./workloads/all.js";

const OPENERS: Record<SystemId, OpenSystem> = { taskq: openTaskq, bullmq: openBullmq, bee: openBeeQueue };

function options() {
  const { values } = parseArgs({
    options: {
      repeat: { type: "string", default: "3" },
      scale: { type: "string", default: "1" },
      only: { type: "string", default: SYSTEM_IDS.join(",") },
      workloads: { type: "string", default: "1,2,3,4,5,6,7,8" },
      "no-pin": { type: "boolean", default: false },
      redis: { type: "string", default: process.env.BENCH_REDIS_URL },
      out: { type: "string", default: "bench/results/latest.json" },
    },
  });
  const repeat = Number(values.repeat);
  const scale = Number(values.scale);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got ${values.repeat}`);
  if (!(scale > 0)) throw new Error(`--scale must be > 0, got ${values.scale}`);
  const only = values.only.split(",").map((s) => s.trim()) as SystemId[];
  for (const id of only) if (!SYSTEM_IDS.includes(id)) throw new Error(`--only: unknown system ${id} (use ${SYSTEM_IDS.join(", ")})`);
  const workloadIds = values.workloads.split(",").map(Number);
  return { repeat, scale, only, workloadIds, redisUrl: values.redis, out: resolve(values.out), pin: !values["no-pin"] };
}

async function main(): Promise<void> {
  const opts = options();
  const workloads = allWorkloads(opts.scale).filter((w) => opts.workloadIds.includes(w.id));
  const redis = await openBenchRedis(opts.redisUrl);
  const labels: Partial<Record<SystemId, string>> = {};
  const samples = new Map<string, Partial<Record<SystemId, number[]>>>();
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const pinning: Pinning = opts.pin ? pinProcesses(redis.serverPid) : { pinned: false, summary: "not pinned: --no-pin" };
  console.error(`bench: Redis ${redis.version} at ${redis.url}; systems ${opts.only.join(", ")}; scale ${opts.scale}; repeat ${opts.repeat}`);
  console.error(`bench: ${pinning.summary}`);
  const probeRuns: ProbeResult[][] = [];
  try {
    for (const id of opts.only) await warmUp(OPENERS[id], redis);
    const probeOps = Math.max(1_000, Math.round(10_000 * opts.scale));
    for (let rep = 1; rep <= opts.repeat; rep++) {
      probeRuns.push(await runProbes(redis, probeOps));
      console.error(
        `  [probes] run ${rep}/${opts.repeat}: ${probeRuns
          .at(-1)!
          .map((p) => `${p.key} ${p.wallUs.toFixed(1)} µs`)
          .join(", ")}`,
      );
    }
    for (const workload of workloads) {
      for (let rep = 1; rep <= opts.repeat; rep++) {
        for (const id of rotate(opts.only, rep - 1)) {
          const system = await OPENERS[id](redis.url);
          labels[id] = system.label;
          const reset = async () => void (await redis.flush(system.keyPatterns));
          try {
            const values = await workload.run({ system, redis, reset });
            for (const [key, v] of Object.entries(values)) {
              const bySystem = samples.get(key) ?? {};
              (bySystem[id] ??= []).push(v);
              samples.set(key, bySystem);
            }
            const shown = Object.entries(values)
              .map(([k, v]) => `${k} ${v.toFixed(v < 100 ? 3 : 0)}`)
              .join(", ");
            console.error(`  [${workload.id}. ${workload.name}] run ${rep}/${opts.repeat} ${id}: ${shown}`);
          } finally {
            await system.close();
            await reset();
          }
        }
      }
    }
  } finally {
    await redis.close();
  }
  const rows = buildRows(
    workloads.flatMap((w) => w.metrics),
    samples,
  );
  const verdicts = judge(rows);
  const probes = medianProbes(probeRuns);
  const load = { start: round2(loadAtStart), end: round2(loadavg()[0]) };
  console.log(
    `Conditions: ${pinning.summary}; ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}, Redis ${redis.version}; load average ${load.start} at start, ${load.end} at end.`,
  );
  console.log(formatTable(rows, verdicts, opts.repeat));
  console.log("");
  console.log(formatProbes(probes, opts.repeat));
  const result = {
    date: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      redis: redis.version,
      loadAverage1m: load,
    },
    systems: labels,
    options: { repeat: opts.repeat, scale: opts.scale, workloads: opts.workloadIds, ownRedis: opts.redisUrl === undefined },
    pinning,
    ratioConvention: "> 1 means taskq is better: throughput taskq/other; time, latency, memory, CPU per job other/taskq",
    rows,
    targets: verdicts,
    probes,
    probeRuns,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 1)}\n`);
  console.error(`bench: wrote ${opts.out} in ${result.durationS} s`);
}

/** Each probe's median over the runs, field by field. */
function medianProbes(runs: readonly ProbeResult[][]): ProbeResult[] {
  return (runs[0] ?? []).map((first, i) => ({
    ...first,
    wallUs: median(runs.map((r) => r[i].wallUs)),
    clientUs: median(runs.map((r) => r[i].clientUs)),
    redisUs: median(runs.map((r) => r[i].redisUs)),
  }));
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
