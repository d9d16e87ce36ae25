/**
 * A real local Redis Cluster for tests: six `redis-server --cluster-enabled` processes on free loopback
 * ports (3 masters, 3 replicas), joined with `redis-cli --cluster create`, torn down after.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./redis-server.js";

const run = promisify(execFile);

export interface TestCluster {
  readonly nodes: Array<{ host: string; port: number }>;
  readonly processes: ChildProcess[];
  stop(): Promise<void>;
}

async function info(port: number): Promise<string> {
  const { stdout } = await run("redis-cli", ["-p", String(port), "cluster", "info"]).catch(() => ({ stdout: "" }));
  return stdout;
}

export async function startCluster(size = 6, replicas = 1): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "taskq-cluster-"));
  const ports: number[] = [];
  while (ports.length < size) {
    const port = await freePort();
    // The cluster bus listens on port + 10000: keep both free and distinct.
    if (port < 55000 && !ports.includes(port)) ports.push(port);
  }
  const processes = ports.map((port) =>
    spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`,
        "--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: "ignore" },
    ),
  );
  for (const port of ports) {
    for (let i = 0; i < 200; i++) {
      const ok = await run("redis-cli", ["-p", String(port), "ping"]).then((r) => r.stdout.includes("PONG"), () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", String(replicas), "--cluster-yes"]);
  for (const port of ports) {
    for (let i = 0; i < 400 && !(await info(port)).includes("cluster_state:ok"); i++) await new Promise((r) => setTimeout(r, 50));
  }
  return {
    nodes: ports.map((port) => ({ host: "127.0.0.1", port })),
    processes,
    async stop() {
      await Promise.all(processes.map((p) => new Promise<void>((resolve) => {
        if (p.exitCode !== null) return resolve();
        p.once("exit", () => resolve());
        p.kill("SIGKILL");
      })));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
