import type { StoredPayload } from "../payload/envelope.js";

/** A job as `fetch-10.lua` hands it to a worker: leased, with the token that fences its completion. */
export interface LeasedJob {
  readonly id: string;
  readonly token: string;
  readonly name: string;
  /** The payload as stored: JSON text, or a binary envelope (a Buffer, when fetched with buffer replies). */
  readonly payload: StoredPayload;
  readonly version: number;
  /** 1-based number of this run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Per-enqueue override of the job type's timeout. */
  readonly timeoutMs?: number;
  readonly createdAt: number;
  /** When this run was leased, on Redis's clock. */
  readonly startedAt: number;
}

const HEADER = 3;
const FIELDS = 8;

/**
 * Parses fetch-10.lua's reply: { nextDueInMs, now, token, then 8 fields per job }. The i-th job's
 * lease token is `<token>.<i>`, and every job of one reply was leased at `now`.
 */
export function parseFetchReply(reply: unknown[]): { nextDueInMs: number; jobs: LeasedJob[] } {
  const jobs: LeasedJob[] = [];
  const startedAt = Number(reply[1]);
  const token = String(reply[2]);
  for (let i = HEADER, n = 1; i + FIELDS <= reply.length; i += FIELDS, n++) {
    const timeoutMs = reply[i + 6];
    jobs.push({
      id: String(reply[i]),
      token: `${token}.${n}`,
      name: String(reply[i + 1]),
      payload: (reply[i + 2] as string | null) ?? "",
      version: reply[i + 3] == null ? 1 : Number(reply[i + 3]),
      attempt: Number(reply[i + 4]),
      maxAttempts: Number(reply[i + 5]),
      timeoutMs: timeoutMs == null ? undefined : Number(timeoutMs),
      createdAt: Number(reply[i + 7]),
      startedAt,
    });
  }
  return { nextDueInMs: Number(reply[0]), jobs };
}
