/**
 * Fail-fast access to Redis for producers. ioredis, left to itself, queues a command issued while
 * it reconnects and fails it only after `maxRetriesPerRequest` reconnects (about a minute), and a
 * command that waited in that queue may still run after its caller was told it failed. A producer
 * call instead sends nothing until the connection is ready, waits for that at most its bound, and
 * then waits for the answer only what is left of the bound. Nothing is queued while Redis is away,
 * so a call that timed out before sending can never write later; the connection keeps reconnecting
 * by itself, so the next call after Redis is back goes through.
 */
import { Cluster } from "ioredis";
import { RedisUnavailableError } from "../errors.js";
import type { RedisClient } from "./connection.js";
import { watchDeadline } from "./deadlines.js";

/** The last connection error of each client seen here, to say why Redis is unreachable. */
const lastErrors = new WeakMap<RedisClient, Error | undefined>();

/** Remembers `client`'s connection errors, so an unavailable error can give the reason. Idempotent. */
export function watchConnectionErrors(client: RedisClient): void {
  if (lastErrors.has(client)) return;
  lastErrors.set(client, undefined);
  client.on("error", (error: Error) => lastErrors.set(client, error));
  client.on("ready", () => lastErrors.set(client, undefined));
}

/** Why `client` is not connected, as far as its errors tell (see watchConnectionErrors). */
export function unreachableReason(client: RedisClient): string {
  const error = lastErrors.get(client);
  if (error) return error.message;
  return client.status === "end" ? "its connection was closed" : client.status === "wait" ? "not connected" : "still connecting";
}

/**
 * Where `client` connects, as `host:port` (a socket path, sentinels, or a Cluster's nodes), never
 * with a user name or password.
 */
export function redisAddress(client: RedisClient): string {
  if (client instanceof Cluster) {
    const nodes = (client as unknown as { startupNodes: unknown[] }).startupNodes ?? [];
    return `cluster ${nodes.map(nodeAddress).join(",")}`;
  }
  const options = client.options;
  if (options.sentinels?.length) return `sentinel master ${options.name} via ${options.sentinels.map(nodeAddress).join(",")}`;
  if (options.path) return options.path;
  return `${options.host ?? "127.0.0.1"}:${options.port ?? 6379}`;
}

function nodeAddress(node: unknown): string {
  if (typeof node === "number") return `127.0.0.1:${node}`;
  if (typeof node === "string") {
    try {
      const url = new URL(node.includes("://") ? node : `redis://${node}`);
      return `${url.hostname}:${url.port || 6379}`;
    } catch {
      return "(unparsable address)";
    }
  }
  const { host = "127.0.0.1", port = 6379 } = node as { host?: string; port?: number };
  return `${host}:${port}`;
}

/**
 * Runs `command` on `client` once the connection is ready, all within `timeoutMs`; otherwise rejects
 * with RedisUnavailableError (`maybeWritten` false when nothing was sent, true when the command was
 * sent and not answered in time, or its connection dropped while it was out). `what` names the call
 * in those errors; a function is called only then (most calls never fail, and need no name made).
 */
export function withinReach<T>(client: RedisClient, timeoutMs: number, what: string | (() => string), command: () => Promise<T>): Promise<T> {
  // A ready connection (nearly every call) goes straight to the command: no promise waited on first.
  if (client.status === "ready") return answeredWithin(client, Date.now() + timeoutMs, timeoutMs, what, command);
  const startedAt = Date.now();
  return ready(client, timeoutMs, what).then(() => answeredWithin(client, startedAt + timeoutMs, timeoutMs, what, command));
}

/** Sends `command` now, and gives up waiting for its answer at `deadline` (a Date.now() time). */
function answeredWithin<T>(client: RedisClient, deadline: number, timeoutMs: number, what: string | (() => string), command: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const sent = command();
    // A late answer or failure, after the deadline rejected, settles nothing more (handled below).
    const watch = watchDeadline(deadline, timeoutMs, () => reject(unanswered(client, timeoutMs, named(what))));
    sent.then(
      (value) => {
        watch.cancel();
        resolve(value);
      },
      (error: unknown) => {
        watch.cancel();
        // The connection went down while the command was out: it may or may not have run.
        reject(error instanceof RedisUnavailableError || client.status === "ready" ? error : unanswered(client, timeoutMs, named(what), error));
      },
    );
  });
}

function named(what: string | (() => string)): string {
  return typeof what === "string" ? what : what();
}

/** Resolves when `client` is ready; rejects with nothing sent after `timeoutMs`. */
async function ready(client: RedisClient, timeoutMs: number, what: string | (() => string)): Promise<void> {
  if (client.status === "ready") return;
  watchConnectionErrors(client);
  if (client.status === "end") throw unreachable(client, named(what), "its connection was closed");
  // A lazyConnect client connects on its first command; this producer sends none before ready.
  if (client.status === "wait") client.connect().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), timeoutMs)));
  try {
    if ((await Promise.race([nextReady(client), late])) === "late") {
      throw unreachable(client, named(what), `${unreachableReason(client)}; gave up after ${timeoutMs} ms (redisTimeoutMs)`);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Per client, the next `ready` event: one listener however many calls wait (a thousand requests in an outage). */
const readyEvents = new WeakMap<RedisClient, Promise<void>>();

function nextReady(client: RedisClient): Promise<void> {
  let event = readyEvents.get(client);
  if (!event) {
    event = new Promise<void>((resolve) => client.once("ready", () => resolve()));
    readyEvents.set(client, event);
    void event.then(() => readyEvents.delete(client));
  }
  return event;
}

function unreachable(client: RedisClient, what: string, reason: string): RedisUnavailableError {
  const address = redisAddress(client);
  return new RedisUnavailableError(address, false, `Redis at ${address} is unreachable (${reason}): ${what} wrote nothing`, {
    cause: lastErrors.get(client),
  });
}

function unanswered(client: RedisClient, timeoutMs: number, what: string, cause?: unknown): RedisUnavailableError {
  const address = redisAddress(client);
  const why = cause === undefined ? `did not answer within ${timeoutMs} ms (redisTimeoutMs)` : `dropped the connection (${(cause as Error).message})`;
  return new RedisUnavailableError(
    address,
    true,
    `Redis at ${address} ${why}: ${what} may or may not have been written; repeat it with the same jobId to be sure`,
    { cause },
  );
}
