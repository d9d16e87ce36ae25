/**
 * Single enqueues made together go to Redis as one script call. A plain single enqueue (a counted id,
 * no unique key, no parents) made while another enqueue of the same client is out waits for the end
 * of the current turn of the event loop, and the plain single enqueues of one queue (shard) made
 * meanwhile are written by one enqueue call, whose reply (the first counted id) gives each its id.
 * A burst of many callers (the web-request shape) then costs Redis one script run per turn instead
 * of one per job: about 5 µs of Redis CPU per job instead of about 19. A lone enqueue is sent at
 * once, as before.
 *
 * Each job keeps its own guarantee: the merged call writes all its jobs or none (enqueue-8.lua),
 * and when Redis refuses it (an error reply: nothing was written), each enqueue is sent again alone,
 * so a caller gets its own call's answer, never a neighbour's refusal. Any other failure (the
 * connection dropped while the call was out: it may have run) is every caller's answer, as it would
 * have been for each alone. A merged enqueue waiting for its turn has not been sent; the producer's
 * bound (redis/availability.ts) covers the wait.
 */
import type { RedisClient } from "../redis/connection.js";
import { enqueueBatch, type EnqueueBatch, type EnqueueReply } from "./enqueue.js";

interface Waiting {
  readonly batch: EnqueueBatch;
  readonly resolve: (reply: EnqueueReply) => void;
  readonly reject: (error: unknown) => void;
}

interface Merger {
  /** Enqueue calls of this client sent through here and not yet answered. */
  out: number;
  /** Per queue (shard) base: the single enqueues waiting for the end of this turn. */
  readonly next: Map<string, Waiting[]>;
  /** Counts an answered call: one function per client, not a closure per call. */
  readonly answered: () => void;
}

/** Most jobs one merged call carries; a turn with more sends several. */
const MAX_MERGED = 500;

const mergers = new WeakMap<RedisClient, Merger>();

/**
 * Sends a batch; `now` asks for no socket cork (coalesced-scripts.ts): a call already held back to
 * the end of a turn should not wait for the next one.
 */
type Send = (batch: EnqueueBatch, now: boolean) => Promise<EnqueueReply>;

/**
 * Sends `batch` with `send`, at once, or, for a plain single enqueue made while another of the
 * client's is out (or others of its queue wait), merged with the others of its queue made in this turn.
 */
export function sendMerged(client: RedisClient, batch: EnqueueBatch, send: Send): Promise<EnqueueReply> {
  let merger = mergers.get(client);
  if (!merger) {
    const made: Merger = { out: 0, next: new Map(), answered: () => void made.out-- };
    merger = made;
    mergers.set(client, made);
  }
  let waiting = merger.next.get(batch.keys.base);
  if (!((merger.out > 0 || waiting) && client.status === "ready" && isPlainSingle(batch))) {
    // Sent now; the enqueues already waiting go first, so a client's enqueues reach Redis in the
    // order they were made (one queue's jobs wait in that order).
    if (merger.next.size > 0) for (const calls of [...merger.next.values()]) flush(client, merger, calls, send);
    return track(merger, send(batch, false));
  }
  if (!waiting || waiting.length >= MAX_MERGED) {
    waiting = [];
    merger.next.set(batch.keys.base, waiting);
    // setImmediate, not a microtask: callers resumed by the same socket read make their next calls
    // in microtasks of that read, and all of them should share the call.
    setImmediate(flush, client, merger, waiting, send);
  }
  const calls = waiting;
  return new Promise((resolve, reject) => calls.push({ batch, resolve, reject }));
}

function track<T>(merger: Merger, sent: Promise<T>): Promise<T> {
  merger.out++;
  sent.then(merger.answered, merger.answered);
  return sent;
}

/** One job, a counted id (id ""), and options naming no unique key (7th field) and no parents (9th). */
function isPlainSingle(batch: EnqueueBatch): boolean {
  const args = batch.args;
  if (args.length !== 6 || args[2] !== "") return false;
  // Known plain when the job came with its type's shared options (store/enqueue.ts `singleJob`).
  if (batch.single !== undefined) return true;
  const options = args[5];
  if (typeof options !== "string") return false;
  const fields = options.split("|", 9);
  return fields.length === 9 && fields[6] === "" && fields[8] === "";
}

/** Sends the waiting enqueues of one group, once: from its `setImmediate`, or earlier (sendMerged). */
function flush(client: RedisClient, merger: Merger, waiting: Waiting[], send: Send): void {
  if (waiting.length === 0) return; // sent already
  const key = waiting[0].batch.keys.base;
  if (merger.next.get(key) === waiting) merger.next.delete(key);
  const calls = waiting.splice(0);
  if (calls.length === 1) {
    const [call] = calls;
    track(merger, send(call.batch, true)).then(call.resolve, call.reject);
    return;
  }
  const merged = enqueueBatch(calls[0].batch.keys, calls.length);
  for (const call of calls) merged.args.push(...call.batch.args.slice(2));
  track(merger, send(merged, true)).then(
    (reply) => {
      // A plain call names no parent, so it is never "missing"; if it were, it wrote nothing.
      if (reply.missing) return alone(merger, calls, send);
      calls.forEach((call, i) => call.resolve({ ids: [reply.ids[i]] }));
    },
    (error: unknown) => {
      // An error reply: Redis refused the call and wrote nothing; each call gets its own answer.
      if (isReplyError(error)) alone(merger, calls, send);
      else for (const call of calls) call.reject(error);
    },
  );
}

function alone(merger: Merger, calls: Waiting[], send: Send): void {
  for (const call of calls) track(merger, send(call.batch, true)).then(call.resolve, call.reject);
}

/** A reply Redis sent as an error (ioredis's ReplyError), as opposed to a failure of the connection. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === "ReplyError";
}
