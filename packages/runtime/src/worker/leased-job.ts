import type { StoredPayload } from "../payload/envelope.js";

/** A job as `fetch-9.lua` hands it to a worker: leased, with the token that fences its completion. */
export interface LeasedJob {
  /** The job's id. */
  readonly id: string;
  /** Fences this lease: a completion with an older token is refused once the job was reclaimed. */
  readonly token: string;
  /** The job type's name. */
  readonly name: string;
  /** The payload as stored: JSON text, or a binary envelope (a Buffer, when fetched with buffer replies). */
  readonly payload: StoredPayload;
  /** The payload schema version it was written at. */
  readonly version: number;
  /** 1-based number of this run. */
  readonly attempt: number;
  /** Runs before it is dead-lettered. */
  readonly maxAttempts: number;
  /** Per-enqueue override of the job type's timeout. */
  readonly timeoutMs?: number;
  /** When it was enqueued, in ms since the epoch. */
  readonly createdAt: number;
  /** When this run was leased, on Redis's clock. */
  readonly startedAt: number;
}

/** What a fetch reply says, besides its jobs. */
export interface FetchReply {
  nextDueInMs: number;
  jobs: LeasedJob[];
  /** A key of the queue of the wrong type, which the fetch passed over: "<key>: <error>". */
  broken?: string;
}

const HEADER = 4;
/** The small fields before the id; the id is the rest. */
const FIELDS_BEFORE_ID = 6;

/**
 * fetch-9.lua's reply: { nextDueInMs, now, token, broken, then per job its "|"-joined small fields
 * and its payload }. The script checked every small field but the id to hold no "|" (a name is a
 * name, the rest are numbers) and put the id last, so an id written by hand with a "|" stays whole.
 */
export function parseFetchReply(reply: unknown[]): FetchReply {
  const jobs: LeasedJob[] = [];
  const startedAt = Number(reply[1]);
  const token = String(reply[2]);
  for (let i = HEADER, n = 1; i + 2 <= reply.length; i += 2, n++) {
    const fields = String(reply[i]).split("|");
    const [version, attempt, maxAttempts, timeoutMs, createdAt, name] = fields;
    jobs.push({
      id: fields.length === FIELDS_BEFORE_ID + 1 ? fields[FIELDS_BEFORE_ID] : fields.slice(FIELDS_BEFORE_ID).join("|"),
      token: `${token}.${n}`,
      name,
      payload: (reply[i + 1] as string | null) ?? "",
      version: version === "" ? 1 : Number(version),
      attempt: Number(attempt),
      maxAttempts: Number(maxAttempts),
      timeoutMs: timeoutMs === "" ? undefined : Number(timeoutMs),
      createdAt: Number(createdAt),
      startedAt,
    });
  }
  const broken = reply[3] as string | null; // Lua false arrives as nil
  return { nextDueInMs: Number(reply[0]), jobs, ...(broken ? { broken: String(broken) } : {}) };
}
