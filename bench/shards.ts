/**
 * `npm run bench:shards`: does one hot queue get faster when its shards spread over several Redis
 * Cluster masters? Starts a local cluster of 3 masters (no replicas; test/support's startCluster),
 * preloads N no-op jobs into a queue of 1 shard (all on one master) and then of 3 shards (one per
 * master), and drains each with `--workers` worker processes. Prints jobs/s for each, the ratio,
 * and where the CPU went: each master's (INFO cpu) and the worker processes' (process.cpuUsage),
 * as a share of the wall time; on a small machine the cores, not Redis, are often the ceiling.
 *
 *   npm run bench:shards -- [--jobs 50000] [--workers 2] [--concurrency 50] [--repeat 2]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Type } from "typebox";
import { Cluster, type ClusterNode } from "ioredis";
import { Client, Worker } from "@taskq/runtime";
import { createCodec, defineJob, defineQueue, type JobDefinition } from "@taskq/runtime/internal";
import { startCluster } from "../test/support/redis-cluster.js";
import { shardKeys } from "../packages/runtime/src/redis/keys.js";

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "50000" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "50" },
    repeat: { type: "string", default: "2" },
    child: { type: "string" },
  },
});

const PREFIX = "tqshards";
const Noop = Type.Object({ n: Type.Number() });

function noopJob(shards: number): JobDefinition<{ n: number }, null> {
  return defineJob<{ n: number }, null>({
    name: "noop",
    queue: defineQueue({ prefix: PREFIX, name: "hot", shards }),
    priority: "normal",
    attempts: 1,
    backoff: { type: "fixed", delayMs: 1_000 },
    keepResultMs: 600_000,
    version: 1,
    payload: createCodec(Noop),
    result: createCodec(Type.Null()),
  });
}

// --- a worker process: serves the queue until told to stop, then reports its CPU time -------------

async function runChild(spec: string): Promise<void> {
  const { nodes, shards, concurrency } = JSON.parse(spec) as { nodes: ClusterNode[]; shards: number; concurrency: number };
  const definition = noopJob(shards);
  const worker = new Worker({
    connection: { cluster: nodes },
    queues: [{ name: "hot", prefix: PREFIX, concurrency, jobs: { noop: { definition, handler: () => null } } }],
    autostart: false,
    taskManager: false,
  });
  const lines = createInterface({ input: process.stdin });
  console.log("ready");
  let cpuStart: NodeJS.CpuUsage | undefined;
  for await (const line of lines) {
    if (line === "go") {
      cpuStart = process.cpuUsage();
      worker.start();
    } else if (line === "stop") {
      const cpu = process.cpuUsage(cpuStart);
      await worker.close();
      console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 }));
      process.exit(0);
    }
  }
}

// --- the driver ------------------------------------------------------------------------------------

interface Run {
  shards: number;
  workers: number;
  jobsPerSecond: number;
  seconds: number;
  /** CPU ms of each master during the drain, in the order of the shards' masters first. */
  redisCpuMs: number[];
  workerCpuMs: number;
}

function childProcess(spec: object): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--child", JSON.stringify(spec)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return { child, lines };
}

async function cpuMsOf(cluster: Cluster): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const node of cluster.nodes("master")) {
    const info = await node.info("cpu");
    const cpu = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]);
    out.set(`${node.options.host}:${node.options.port}`, cpu * 1000);
  }
  return out;
}

async function completed(cluster: Cluster, shards: number): Promise<number> {
  const counts = await Promise.all(shardKeys(PREFIX, "hot", shards).map((k) => cluster.zcard(k.completed)));
  return counts.reduce((a, b) => a + b, 0);
}

async function flush(cluster: Cluster): Promise<void> {
  await Promise.all(cluster.nodes("master").map((node) => node.flushall()));
}

async function drain(nodes: ClusterNode[], cluster: Cluster, shards: number, jobs: number, workers: number, concurrency: number): Promise<Run> {
  await flush(cluster);
  const client = new Client({ connection: { cluster: nodes } });
  const definition = noopJob(shards);
  // Bulks of free jobs: each bulk lands on one shard, the next bulk on the next (round-robin).
  for (let i = 0; i < jobs; i += 1_000)
    await client.enqueueBulk(
      definition,
      Array.from({ length: Math.min(1_000, jobs - i) }, (_, j) => ({ n: i + j })),
    );
  await client.close();
  const children = Array.from({ length: workers }, () => childProcess({ nodes, shards, concurrency }));
  for (const { lines } of children) await lines.next();
  const cpuBefore = await cpuMsOf(cluster);
  const start = performance.now();
  for (const { child } of children) child.stdin!.write("go\n");
  while ((await completed(cluster, shards)) < jobs) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = await cpuMsOf(cluster);
  let workerCpuMs = 0;
  for (const { child, lines } of children) {
    child.stdin!.write("stop\n");
    workerCpuMs += (JSON.parse((await lines.next()).value as string) as { cpuMs: number }).cpuMs;
  }
  const redisCpuMs = [...cpuAfter].map(([node, ms]) => ms - (cpuBefore.get(node) ?? 0)).sort((a, b) => b - a);
  return { shards, workers, jobsPerSecond: jobs / seconds, seconds, redisCpuMs, workerCpuMs };
}

async function main(): Promise<void> {
  const jobs = Number(values.jobs);
  const workers = Number(values.workers);
  const concurrency = Number(values.concurrency);
  const repeat = Number(values.repeat);
  const test = await startCluster(3, 0);
  const cluster = new Cluster(test.nodes);
  await new Promise<void>((resolve) => cluster.once("ready", () => resolve()));
  const runs: Run[] = [];
  try {
    for (let r = 0; r < repeat; r++) {
      // The control: 1 shard with 3 times the worker processes runs as many fetch loops as 3 shards
      // do (one per shard per process), so it tells the masters' part from the loops' part.
      for (const [shards, procs] of [
        [1, workers],
        [3, workers],
        [1, 3 * workers],
      ]) {
        const run = await drain(test.nodes, cluster, shards, jobs, procs, concurrency);
        runs.push(run);
        console.error(`shards ${shards}, ${procs} worker processes: ${run.jobsPerSecond.toFixed(0)} jobs/s`);
      }
    }
  } finally {
    cluster.disconnect();
    await test.stop();
  }
  const pct = (ms: number, run: Run) => `${((ms / (run.seconds * 1000)) * 100).toFixed(0)} %`;
  console.log(`${jobs.toLocaleString("en-US")} no-op jobs, concurrency ${concurrency} per worker process, 3-master cluster, ${availableParallelism()} cores`);
  console.log("shards (masters used) | worker processes | jobs/s | Redis CPU per master (busiest first) | worker CPU (all processes)");
  console.log("--- | --- | --- | --- | ---");
  for (const run of runs) {
    console.log(
      `${run.shards} (${run.shards}) | ${run.workers} | ${run.jobsPerSecond.toFixed(0)} | ${run.redisCpuMs.map((ms) => pct(ms, run)).join(", ")} | ${pct(run.workerCpuMs, run)}`,
    );
  }
  const best = (shards: number, procs: number) => Math.max(...runs.filter((r) => r.shards === shards && r.workers === procs).map((r) => r.jobsPerSecond));
  console.log(`\nbest 3 shards / best 1 shard (${workers} processes): ${(best(3, workers) / best(1, workers)).toFixed(2)}×`);
  console.log(`best 3 shards (${workers} processes) / best 1 shard (${3 * workers} processes): ${(best(3, workers) / best(1, 3 * workers)).toFixed(2)}×`);
}

if (values.child) await runChild(values.child);
else await main();
