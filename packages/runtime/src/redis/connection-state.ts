/**
 * Connection state changes of a long-running process's Redis connection, each reported once. ioredis
 * emits an `error` on every failed reconnect (every 2 s through an outage); a worker's log should say
 * "Redis is gone" once and "Redis is back" once, not repeat the same ECONNREFUSED for an hour.
 */
import type { RedisClient } from "./connection.js";
import { redisAddress } from "./availability.js";

/** A change of a process's connection to Redis: `lost` (with the reason) or `restored` (after `downMs`). */
export interface ConnectionChange {
  /** `lost`: the connection went down (reported once per outage); `restored`: it is back. */
  state: "lost" | "restored";
  /** `host:port` (or the Cluster's nodes), never a password. */
  address: string;
  /** One line for a log. */
  message: string;
  /** Why it was lost: the first error of the outage. */
  error?: Error;
  /** How long it was down, on `restored`. */
  downMs?: number;
}

/**
 * Calls `onChange` when `client` loses its connection (or cannot make the first one) and when it
 * has it back, once per change. Returns a function that stops watching (before a deliberate close,
 * which is no outage).
 */
export function watchConnectionState(client: RedisClient, onChange: (change: ConnectionChange) => void): () => void {
  const address = redisAddress(client);
  let state: "connecting" | "up" | "down" = client.status === "ready" ? "up" : "connecting";
  let downSince = 0;
  const lost = (error: Error | undefined) => {
    if (state === "down") return;
    const first = state === "connecting";
    state = "down";
    downSince = Date.now();
    const reason = error?.message ?? "connection closed";
    const message = first
      ? `cannot reach Redis at ${address} (${reason}); waiting for it`
      : `lost Redis at ${address} (${reason}); waiting for it, reconnecting quietly`;
    onChange({ state: "lost", address, message, error });
  };
  const onError = (error: Error) => lost(error);
  const onClose = () => state === "up" && lost(undefined);
  const onReady = () => {
    const wasDown = state === "down";
    state = "up";
    if (!wasDown) return;
    const downMs = Date.now() - downSince;
    onChange({ state: "restored", address, message: `Redis at ${address} is back after ${(downMs / 1000).toFixed(1)} s`, downMs });
  };
  client.on("error", onError);
  client.on("close", onClose);
  client.on("ready", onReady);
  return () => {
    client.off("error", onError);
    client.off("close", onClose);
    client.off("ready", onReady);
  };
}
