/**
 * Finds a Redis for the example: TASKQ_REDIS_URL, else REDIS_URL, else 127.0.0.1:6379. When nothing
 * answers there and `redis-server` is on PATH, starts a throwaway one on a free port and says so;
 * when neither, says how to get Redis and exits non-zero.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";
import { defaultRedisUrl } from "@taskq/runtime";

export interface ExampleRedis {
  url: string;
  stop(): void;
}

function answers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname || "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => {
      socket.write("PING\r\n");
      socket.once("data", (data) => done(data.toString().startsWith("+PONG") || data.toString().startsWith("-NOAUTH")));
    });
    socket.once("error", () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function ensureRedis(): Promise<ExampleRedis> {
  const url = defaultRedisUrl();
  if (await answers(url)) return { url, stop() {} };
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    console.error(`No Redis answers at ${url} and redis-server is not installed: install it (apt-get install redis-server, brew install redis) or set TASKQ_REDIS_URL.`);
    process.exit(1);
  }
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const throwaway = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await answers(throwaway)); i++) await new Promise((r) => setTimeout(r, 50));
  console.log(`No Redis answers at ${url}; started a throwaway redis-server at ${throwaway} (stopped on exit).`);
  return { url: throwaway, stop: () => child.kill() };
}
