/**
 * Reads one entry of a job's error list (`errors:<id>`, a JSON AttemptError per failed attempt). The
 * list is data in Redis: a hand-written or garbled entry must not break every reader of the
 * dead-letter queue (a 500 on `/dlq`, a failed `taskq dlq list`), so an entry that is not a
 * well-formed AttemptError is shown as an `UnreadableError` carrying an excerpt of the raw text.
 */
import { excerpt, type AttemptError } from "../errors.js";
import { parseJsonSafely } from "../payload/safe-json.js";

/** The `name` of an error entry that could not be read. */
export const UNREADABLE_ERROR = "UnreadableError";

export function readAttemptError(raw: string, position: number): AttemptError {
  let parsed: unknown;
  try {
    parsed = parseJsonSafely(raw);
  } catch {
    parsed = undefined;
  }
  const entry = parsed as Partial<AttemptError> | undefined;
  if (entry !== null && typeof entry === "object" && typeof entry.message === "string") {
    return {
      // A field of the wrong type is replaced, never passed on: readers print and compare them.
      attempt: Number.isFinite(entry.attempt) ? Number(entry.attempt) : position + 1,
      name: typeof entry.name === "string" ? entry.name : "Error",
      message: entry.message,
      ...(typeof entry.stack === "string" ? { stack: entry.stack } : {}),
      at: Number.isFinite(entry.at) ? Number(entry.at) : 0,
    };
  }
  return { attempt: position + 1, name: UNREADABLE_ERROR, message: `unreadable error entry: ${JSON.stringify(excerpt(raw, 200))}`, at: 0 };
}

/** Every entry of an error list, oldest first; never throws. */
export function readAttemptErrors(raws: readonly string[]): AttemptError[] {
  return raws.map(readAttemptError);
}
