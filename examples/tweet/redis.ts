/**
 * Finds a Redis for the example: TASKQ_REDIS_URL, else REDIS_URL, else 127.0.0.1:6379. When nothing
 * answers there, starts a throwaway `redis-server` on a free port with the testing kit's
 * `startTestRedis` and says so; when redis-server is not installed either, says how to get Redis and
 * exits non-zero.
 */
import { connect } from "node:net";
import { ConfigError, defaultRedisUrl } from "@taskq/runtime";
import { startTestRedis } from "@taskq/runtime/testing";

export interface ExampleRedis {
  url: string;
  stop(): Promise<void>;
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

export async function ensureRedis(): Promise<ExampleRedis> {
  const url = defaultRedisUrl();
  if (await answers(url)) return { url, stop: async () => {} };
  try {
    // fromEnv: false: TASKQ_REDIS_URL, when set, is the Redis that did not answer.
    const throwaway = await startTestRedis({ fromEnv: false });
    console.log(`No Redis answers at ${url}; started a throwaway redis-server at ${throwaway.url} (stopped on exit).`);
    return throwaway;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`No Redis answers at ${url}, and ${error.message}.`);
    process.exit(1);
  }
}
