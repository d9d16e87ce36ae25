/**
 * `taskq worker <generated dir>`: runs the generated worker in this process, serving every queue of
 * jobs.ts (or `--queues`, or those under `--prefix`), closing gracefully on SIGTERM/SIGINT within
 * `--shutdown-timeout` whether Redis answers or not. `--metrics-port` exposes this worker's Prometheus
 * metrics at `/metrics`, on loopback unless `--metrics-host` says otherwise.
 */
import type { Command } from "commander";
import { defaultRedisUrl } from "@taskq/runtime";
import { createJobMetrics, instrumentWorker, serveMetrics } from "@taskq/runtime/metrics";
import { terminalText } from "../terminal-text.js";
import { CliError } from "../cli-error.js";
import { loadGenerated } from "../generated-dir.js";

interface WorkerFlags {
  redis?: string;
  prefix?: string;
  queues?: string;
  concurrency?: string;
  shutdownTimeout?: string;
  metricsPort?: string;
  metricsHost: string;
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("run the generated worker of a folder written by `taskq generate`")
    .argument("<dir>", "the generated folder (holding index.ts)")
    .option("--redis <url>", "Redis URL (default: TASKQ_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379)")
    .option("--prefix <prefix>", "serve only the queues jobs.ts declares under this key prefix (default: every one)")
    .option("--queues <names>", "serve only these queues, comma-separated (default: all)")
    .option("--concurrency <n>", "jobs run at once per queue (default: each queue's)")
    .option("--shutdown-timeout <ms>", "on SIGTERM/SIGINT, how long running jobs get to finish before they go back to the queue (default: 10000)")
    .option("--metrics-port <port>", "serve Prometheus metrics on this port")
    .option("--metrics-host <host>", "the interface of the metrics port", "127.0.0.1")
    .action((dir: string, flags: WorkerFlags) => runWorker(dir, flags));
}

async function runWorker(dir: string, flags: WorkerFlags): Promise<void> {
  const { module, queues } = await loadGenerated(dir);
  const selected = selectQueues(queues, flags);
  const concurrency = positiveInteger(flags.concurrency, "--concurrency");
  const shutdownTimeoutMs = positiveInteger(flags.shutdownTimeout, "--shutdown-timeout");

  const metricsPort = flags.metricsPort === undefined ? undefined : Number(flags.metricsPort);
  if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65_535))
    throw new CliError(`--metrics-port must be a port number, got ${flags.metricsPort}`, 2);

  // The metrics port is bound before the worker starts: a port already taken ends the command with
  // its error, before any job is fetched, instead of leaving a worker running without its metrics.
  const jobMetrics = metricsPort === undefined ? undefined : createJobMetrics();
  const endpoint =
    jobMetrics === undefined
      ? undefined
      : await serveMetrics(jobMetrics.registry, { port: metricsPort!, host: flags.metricsHost }).catch((error: Error) => {
          throw new CliError(`cannot serve metrics on port ${metricsPort}: ${error.message}`, 1);
        });
  const connection = flags.redis ?? defaultRedisUrl();
  let worker: ReturnType<typeof module.createWorker>;
  try {
    worker = module.createWorker({ connection, queues: selected, concurrency, shutdownTimeoutMs });
  } catch (error) {
    await endpoint?.close();
    throw error;
  }
  worker.on("error", (error) => console.error(`taskq worker: ${terminalText(error.message)}`));
  worker.on("connection", (change) => console.error(`taskq worker: ${terminalText(change.message)}`));
  const served = queues.filter((q) => !selected || selected.includes(q.name));
  let closeMetrics = async () => {};
  if (endpoint && jobMetrics) {
    const jobs = Object.values(module.definitions).map((d) => d.name);
    const metrics = instrumentWorker(worker, { connection, queues: served, jobs, metrics: jobMetrics });
    const host = flags.metricsHost.includes(":") ? `[${flags.metricsHost}]` : flags.metricsHost;
    console.log(`taskq worker: metrics on http://${host}:${endpoint.port}/metrics`);
    closeMetrics = async () => {
      await endpoint.close();
      await metrics.close();
    };
  }
  // The first signal closes the worker within its shutdown timeout, Redis or not; then the process
  // exits, even if a handler ignored its abort signal (its job's lease expires and it runs again).
  // A second signal, with no handler left, ends the process at once. Installed before the line that
  // says the worker is serving: a supervisor that signals as soon as it reads that line (the CLI
  // test does) must not find the default action, which ends the process without closing anything.
  const stop = async () => {
    await worker.close();
    await closeMetrics();
    process.exit(process.exitCode ?? 0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
  console.log(`taskq worker ${worker.id}: serving ${served.map((q) => q.name).join(", ")}`);
}

/** The queue names to serve: `--queues`, narrowed to those under `--prefix`; undefined for all. */
function selectQueues(queues: Array<{ name: string; prefix: string }>, flags: WorkerFlags): string[] | undefined {
  const named = flags.queues
    ?.split(",")
    .map((q) => q.trim())
    .filter(Boolean);
  const unknown = named?.filter((q) => !queues.some((known) => known.name === q)) ?? [];
  if (unknown.length > 0) throw new CliError(`unknown queue(s) ${unknown.join(", ")}: jobs.ts has ${queues.map((q) => q.name).join(", ")}`, 2);
  if (flags.prefix === undefined) return named;
  const prefixed = queues.filter((q) => q.prefix === flags.prefix && (!named || named.includes(q.name))).map((q) => q.name);
  if (prefixed.length === 0) {
    const declared = [...new Set(queues.map((q) => q.prefix))].join(", ");
    throw new CliError(`no ${named ? "selected " : ""}queue of jobs.ts has the prefix ${flags.prefix} (its prefixes: ${declared})`, 2);
  }
  return prefixed;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0)) throw new CliError(`${flag} must be a positive integer, got ${value}`, 2);
  return n;
}
