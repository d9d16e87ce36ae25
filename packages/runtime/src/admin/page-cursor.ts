/**
 * The cursor of a list that spans queues: the queue to go on from (prefix and name) and where in it
 * (one position per shard for the dead-letter queue, one offset for a state's index). It is opaque to
 * callers (base64url of a small JSON array) and checked when read back: a cursor is request input.
 */
import { ConfigError } from "../errors.js";
import { isName } from "../redis/keys.js";
import type { QueueRef } from "./queue-discovery.js";

export interface PageCursor {
  prefix: string;
  queue: string;
  positions: number[];
}

const MAX_CURSOR_CHARS = 1_024;

export function encodeCursor(queue: QueueRef, positions: readonly number[]): string {
  return Buffer.from(JSON.stringify([queue.prefix, queue.name, ...positions])).toString("base64url");
}

export function decodeCursor(cursor: string): PageCursor {
  const invalid = () => new ConfigError("invalid cursor: pass back the nextCursor of the previous page unchanged");
  if (typeof cursor !== "string" || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length < 2 || parsed.length > 66) throw invalid();
  const [prefix, queue, ...positions] = parsed as unknown[];
  if (!isName(prefix) || !isName(queue)) throw invalid();
  if (!positions.every((p) => Number.isSafeInteger(p) && (p as number) >= 0)) throw invalid();
  return { prefix, queue, positions: positions as number[] };
}

/** The order queues are listed in: by prefix, then name (as discovery sorts them). */
export function compareQueues(a: { prefix: string; name: string }, b: { prefix: string; name: string }): number {
  return a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
