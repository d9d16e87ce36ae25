/**
 * Starts a throwaway `redis-server` on a free loopback port for one test suite (never the shared
 * server on 6379), and stops it after. Nothing is persisted unless asked.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The testing kit's own startTestRedis (public, `@taskq/runtime/testing`) is the simple case of this
// file; the suites here also need restarts on the same port and data folder, and append-only files.
import { freePort } from "../../packages/runtime/src/testing/test-redis.js";

export { freePort };

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** Kills the server (SIGKILL) and starts it again on the same port and data folder. */
  restart(downMs?: number): Promise<void>;
  /** Kills the server (SIGKILL) and leaves it down, its port free, until `up()`. */
  down(): Promise<void>;
  /** Starts a server that `down()` stopped again, on the same port and data folder. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Persist every write to an append-only file (`appendfsync always`), so a restart loses nothing. */
  aof?: boolean;
  extraArgs?: string[];
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startRedis(options: StartRedisOptions | string[] = {}): Promise<TestRedis> {
  const { aof = false, extraArgs = [] } = Array.isArray(options) ? { extraArgs: options } : options;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "taskq-redis-"));
  const persistence = aof ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const launch = async () => {
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--dir", dir, ...extraArgs], {
      stdio: "ignore",
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    for (let i = 0; i < 200 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 25));
    return { child, exited };
  };
  let current = await launch();
  const kill = async () => {
    if (current.child.exitCode === null) current.child.kill("SIGKILL");
    await current.exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get process() {
      return current.child;
    },
    async restart(downMs = 0) {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      current = await launch();
    },
    down: kill,
    async up() {
      if (current.child.exitCode === null && current.child.signalCode === null) return;
      current = await launch();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
