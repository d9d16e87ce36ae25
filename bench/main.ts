/**
 * `npm run bench`: the same six workloads against taskq, BullMQ and Bee-Queue on one Redis, each
 * measurement repeated and its median reported, printed as a table and written as JSON.
 *
 *   npm run bench -- [--repeat 3] [--scale 1] [--only taskq,bullmq,bee] [--workloads 1,3]
 *                    [--redis redis://…] [--out bench/results/latest.json]
 *
 * Each system first gets an untimed warm-up. Runs are interleaved (each repetition runs every system
 * in turn, starting with a different one each time) so a slow patch of the machine or a warmer JIT
 * favours none. Every measurement opens a fresh producer, starts from an empty queue and deletes its
 * keys after.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openBenchRedis } from "./redis.js";
import { buildRows, formatTable, judge } from "./report.js";
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
      workloads: { type: "string", default: "1,2,3,4,5,6" },
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
  return { repeat, scale, only, workloadIds, redisUrl: values.redis, out: resolve(values.out) };
}

async function main(): Promise<void> {
  const opts = options();
  const workloads = allWorkloads(opts.scale).filter((w) => opts.workloadIds.includes(w.id));
  const redis = await openBenchRedis(opts.redisUrl);
  const labels: Partial<Record<SystemId, string>> = {};
  const samples = new Map<string, Partial<Record<SystemId, number[]>>>();
  const started = Date.now();
  console.error(`bench: Redis ${redis.version} at ${redis.url}; systems ${opts.only.join(", ")}; scale ${opts.scale}; repeat ${opts.repeat}`);
  try {
    for (const id of opts.only) await warmUp(OPENERS[id], redis);
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
            const shown = Object.entries(values).map(([k, v]) => `${k} ${v.toFixed(v < 100 ? 3 : 0)}`).join(", ");
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
  const rows = buildRows(workloads.flatMap((w) => w.metrics), samples);
  const verdicts = judge(rows);
  console.log(formatTable(rows, verdicts, opts.repeat));
  const result = {
    date: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, redis: redis.version },
    systems: labels,
    options: { repeat: opts.repeat, scale: opts.scale, workloads: opts.workloadIds, ownRedis: opts.redisUrl === undefined },
    ratioConvention: "> 1 means taskq is better: throughput taskq/other; time, latency, memory other/taskq",
    rows,
    targets: verdicts,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 1)}\n`);
  console.error(`bench: wrote ${opts.out} in ${result.durationS} s`);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
