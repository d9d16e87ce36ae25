/**
 * A Redis for a test run: `TASKQ_REDIS_URL` when it is set (a CI service, say), else a throwaway
 * `redis-server` on a free loopback port, with no persistence, stopped by `stop()`. Never the shared
 * server on 6379: tests write and delete keys, and must not do that to somebody's data.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../errors.js";

/** Options of {@link startTestRedis}. */
export interface TestRedisOptions {
  /** Use `TASKQ_REDIS_URL` when it is set, instead of starting a server. (Default: true) */
  fromEnv?: boolean;
  /** More `redis-server` arguments, e.g. `["--maxmemory", "64mb"]`. (Default: none) */
  args?: string[];
  /** How long to wait for the started server to answer. (Default: 10 000 ms) */
  startTimeoutMs?: number;
}

/** A Redis for tests, as {@link startTestRedis} returns it. */
export interface TestRedis {
  /** Its `redis://` URL, for `connection` options. */
  readonly url: string;
  /** True when this call started the server (false: it is `TASKQ_REDIS_URL`'s). */
  readonly started: boolean;
  /** Stops the server this call started and deletes its folder; does nothing to a `TASKQ_REDIS_URL` one. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway `redis-server` on a free loopback port (or uses `TASKQ_REDIS_URL` when set) for a
 * test suite. Throws `ConfigError` when `redis-server` is not installed or does not answer in time.
 */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const fromEnv = process.env.TASKQ_REDIS_URL;
  if (options.fromEnv !== false && fromEnv) return { url: fromEnv, started: false, stop: async () => {} };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "taskq-test-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, ...(options.args ?? [])];
  const child = spawn("redis-server", args, { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const failed = new Promise<Error>((resolve) => child.once("error", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.race([exited, failed]);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    const ready = await Promise.race([answers(port).then((ok) => ({ ok })), failed.then((error) => ({ error }))]);
    if ("error" in ready) {
      await stop();
      throw new ConfigError(
        `cannot start redis-server (${ready.error.message}): install it (apt-get install redis-server, brew install redis) or set TASKQ_REDIS_URL`,
        { cause: ready.error },
      );
    }
    if (ready.ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new ConfigError(`redis-server on port ${port} did not answer (exit code ${child.exitCode ?? "none"}); check its arguments: ${args.join(" ")}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url: `redis://127.0.0.1:${port}`, started: true, stop };
}

/** A loopback port free now (the OS picks it); a server started right after gets it in practice. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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
