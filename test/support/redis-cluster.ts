/**
 * A real local Redis Cluster for tests: six `redis-server --cluster-enabled` processes on free loopback
 * ports (3 masters, 3 replicas), joined with `redis-cli --cluster create`, torn down after.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./redis-server.js";

const run = promisify(execFile);

export interface TestCluster {
  readonly nodes: Array<{ host: string; port: number }>;
  /** The node processes, in the order of `nodes`; a restarted node's entry is replaced. */
  readonly processes: ChildProcess[];
  /**
   * Starts the node on `port` again (after a kill) with its cluster config: it rejoins the cluster,
   * as a replica of whichever node was promoted in its place.
   */
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

async function info(port: number): Promise<string> {
  const { stdout } = await run("redis-cli", ["-p", String(port), "cluster", "info"]).catch(() => ({ stdout: "" }));
  return stdout;
}

/** A master, or a replica whose link to its master is up. */
async function replicaReady(port: number): Promise<boolean> {
  const { stdout } = await run("redis-cli", ["-p", String(port), "info", "replication"]).catch(() => ({ stdout: "" }));
  return stdout.includes("role:master") || stdout.includes("master_link_status:up");
}

export async function startCluster(size = 6, replicas = 1): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "taskq-cluster-"));
  const ports: number[] = [];
  while (ports.length < size) {
    const port = await freePort();
    // The cluster bus listens on port + 10000: keep both free and distinct (a node whose bus port is
    // taken, by another test's server, exits at once).
    if (port < 55000 && !ports.includes(port) && !ports.includes(port + 10000) && (await canListen(port + 10000))) ports.push(port);
  }
  const launch = (port: number) =>
    spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `nodes-${port}.conf`,
        "--cluster-node-timeout",
        "2000",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        // A replica's first sync (which WAIT, hence durable enqueues, needs) starts at once rather than
        // after the 5 s Redis 7 waits by default for more replicas to share a diskless transfer.
        "--repl-diskless-sync-delay",
        "0",
      ],
      { stdio: "ignore" },
    );
  const processes = ports.map(launch);
  for (const port of ports) await answers(port);
  await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", String(replicas), "--cluster-yes"]);
  for (const port of ports) {
    for (let i = 0; i < 400 && !(await info(port)).includes("cluster_state:ok"); i++) await new Promise((r) => setTimeout(r, 50));
  }
  // A replica answers before its first sync is done; WAIT (durable enqueues) needs the link up.
  for (const port of ports) {
    for (let i = 0; i < 400 && !(await replicaReady(port)); i++) await new Promise((r) => setTimeout(r, 50));
  }
  return {
    nodes: ports.map((port) => ({ host: "127.0.0.1", port })),
    processes,
    async restart(port) {
      const index = ports.indexOf(port);
      await stopProcess(processes[index]);
      processes[index] = launch(port);
      await answers(port);
    },
    async stop() {
      await Promise.all(processes.map(stopProcess));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a listener can bind `port` on loopback now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function answers(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await run("redis-cli", ["-p", String(port), "ping"]).then(
      (r) => r.stdout.includes("PONG"),
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** SIGKILLs a node unless it has exited already (by a test's own kill: then `exitCode` is null but `signalCode` is set). */
function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once("exit", () => resolve());
    p.kill("SIGKILL");
  });
}
