/**
 * Script calls written together when many are issued at once (many callers enqueueing at the same
 * time, the web-request shape). A call made while none of its client's calls made here is out is
 * written at once, as `runScript` would; a call made while some are out is handed to ioredis as
 * usual, but the socket is corked until the end of the current turn of the event loop, so the calls
 * made meanwhile leave in one socket write instead of one each (the write syscall is most of a
 * producer's CPU per call). This is what ioredis's `enableAutoPipelining` is for, without its cost
 * for the lone call (a pipeline made and a `setImmediate` waited per command: about 20 µs more CPU
 * per sequential enqueue here, and a longer round trip) and without a pipeline object per batch.
 *
 * Every call stays an ordinary ioredis command, so the connection's semantics are unchanged: one made
 * while the connection is not ready waits in ioredis's offline queue as before, and one written into
 * a corked socket that then closes is, to ioredis and to the producer's bound (redis/availability.ts),
 * a command that was sent and not answered (`maybeWritten`). A Cluster's calls are not corked: its
 * nodes' sockets are its own.
 */
import type { Redis } from "ioredis";
import type { RedisClient } from "../redis/connection.js";
import { runScript, type ScriptName } from "../redis/scripts.js";

interface Coalescer {
  /** Calls made here on this client and not yet answered. */
  out: number;
  /** True while the socket is corked until the next `setImmediate`. */
  corked: boolean;
  /** Counts an answered call: one function per client, not a closure per call. */
  readonly answered: () => void;
}

const coalescers = new WeakMap<RedisClient, Coalescer>();

/**
 * Runs a script (text replies), corking the client's socket for the rest of this turn of the event
 * loop when other calls made here are out, so that the calls of a burst share a socket write.
 * Resolves or rejects with the script's own reply, as `runScript` does.
 */
export function runScriptCoalesced(
  client: RedisClient,
  name: ScriptName,
  keys: readonly string[],
  args: ReadonlyArray<string | number | Buffer>,
): Promise<unknown> {
  let coalescer = coalescers.get(client);
  if (!coalescer) {
    const made: Coalescer = { out: 0, corked: false, answered: () => void made.out-- };
    coalescer = made;
    coalescers.set(client, made);
  }
  if (coalescer.out > 0 && !coalescer.corked && client.status === "ready") cork(client as Redis, coalescer);
  const sent = runScript(client, name, keys, args);
  coalescer.out++;
  sent.then(coalescer.answered, coalescer.answered);
  return sent;
}

function cork(client: Redis, coalescer: Coalescer): void {
  const stream = (client as unknown as { stream?: { cork?: () => void; uncork: () => void } }).stream;
  if (typeof stream?.cork !== "function") return; // a Cluster, or no socket yet
  stream.cork();
  coalescer.corked = true;
  // setImmediate, not a microtask: callers resumed by the same socket read make their next calls in
  // microtasks of that read, and all of them should share the write.
  setImmediate(() => {
    coalescer.corked = false;
    stream.uncork();
  });
}
