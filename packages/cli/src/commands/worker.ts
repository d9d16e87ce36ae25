/**
 * `taskq worker <generated dir>`: runs the generated worker in this process, serving every queue of
 * jobs.ts (or `--queues`), closing gracefully on SIGTERM/SIGINT. `--metrics-port` exposes this
 * worker's Prometheus metrics at `/metrics`.
 */
import type { Command } from "commander";
import { defaultRedisUrl } from "@taskq/runtime";
import { createJobMetrics, instrumentWorker, serveMetrics } from "@taskq/runtime/metrics";
import { terminalText } from "../terminal-text.js";
import { CliError } from "../cli-error.js";
import { loadGenerated } from "../generated-dir.js";

interface WorkerFlags {
  redis?: string;
  queues?: string;
  concurrency?: string;
  metricsPort?: string;
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("run the generated worker of a folder written by `taskq generate`")
    .argument("<dir>", "the generated folder (holding index.ts)")
    .option("--redis <url>", "Redis URL (default: TASKQ_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379)")
    .option("--queues <names>", "serve only these queues, comma-separated (default: all)")
    .option("--concurrency <n>", "jobs run at once per queue (default: each queue's)")
    .option("--metrics-port <port>", "serve Prometheus metrics on this port")
    .action((dir: string, flags: WorkerFlags) => runWorker(dir, flags));
}

async function runWorker(dir: string, flags: WorkerFlags): Promise<void> {
  const { module, queues } = await loadGenerated(dir);
  const selected = flags.queues?.split(",").map((q) => q.trim()).filter(Boolean);
  const unknown = selected?.filter((q) => !queues.some((known) => known.name === q)) ?? [];
  if (unknown.length > 0) throw new CliError(`unknown queue(s) ${unknown.join(", ")}: jobs.ts has ${queues.map((q) => q.name).join(", ")}`, 2);
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) throw new CliError(`--concurrency must be a positive integer, got ${flags.concurrency}`, 2);

  const metricsPort = flags.metricsPort === undefined ? undefined : Number(flags.metricsPort);
  if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65_535)) throw new CliError(`--metrics-port must be a port number, got ${flags.metricsPort}`, 2);

  // The metrics port is bound before the worker starts: a port already taken ends the command with
  // its error, before any job is fetched, instead of leaving a worker running without its metrics.
  const jobMetrics = metricsPort === undefined ? undefined : createJobMetrics();
  const endpoint = jobMetrics === undefined ? undefined : await serveMetrics(jobMetrics.registry, { port: metricsPort! }).catch((error: Error) => {
    throw new CliError(`cannot serve metrics on port ${metricsPort}: ${error.message}`, 1);
  });
  const connection = flags.redis ?? defaultRedisUrl();
  let worker: ReturnType<typeof module.createWorker>;
  try {
    worker = module.createWorker({ connection, queues: selected, concurrency, handleSignals: true });
  } catch (error) {
    await endpoint?.close();
    throw error;
  }
  worker.on("error", (error) => console.error(`taskq worker: ${terminalText(error.message)}`));
  const served = queues.filter((q) => !selected || selected.includes(q.name));
  let closeMetrics = async () => {};
  if (endpoint && jobMetrics) {
    const jobs = Object.values(module.definitions).map((d) => d.name);
    const metrics = instrumentWorker(worker, { connection, queues: served, jobs, metrics: jobMetrics });
    console.log(`taskq worker: metrics on http://0.0.0.0:${endpoint.port}/metrics`);
    closeMetrics = async () => {
      await endpoint.close();
      await metrics.close();
    };
  }
  console.log(`taskq worker ${worker.id}: serving ${served.map((q) => q.name).join(", ")}`);
  // handleSignals makes the worker close itself; the process exits once its connections are gone.
  const stop = () => void closeMetrics();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
