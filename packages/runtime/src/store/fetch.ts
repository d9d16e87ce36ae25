/**
 * fetch-10.lua: leases up to `count` jobs to a worker (see the script's header for what it does).
 * Also the lease half of complete-12.lua, which takes the same KEYS and ARGV after its own.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript, type ReplyMode } from "../redis/scripts.js";
import type { LeasedJob } from "../worker/leased-job.js";
import { keyList } from "./key-lists.js";
import { isPendingEntry } from "./pending-job.js";

/** What a fetch asks for. */
export interface FetchInput {
  readonly keys: QueueKeys;
  readonly workerId: string;
  readonly leaseMs: number;
  /** Jobs to lease at most (0: none, only promote due jobs). */
  readonly count: number;
  /** Due delayed jobs promoted per call at most. */
  readonly promoteLimit: number;
  /** Priority weights "16,8,4,2,1", or "" for strict priority order. */
  readonly weights: string;
  /** Rate limits as JSON (worker/rate-limits.ts), or "". */
  readonly limits: string;
  /** This call's lease token, unique to it (worker/lease-tokens.ts). */
  readonly token: string;
}

/** What a fetch reply says. */
export interface FetchReply {
  /** Ms until the next delayed job comes due; -1 when nothing is delayed. */
  nextDueInMs: number;
  jobs: LeasedJob[];
  /** A key of the queue of the wrong type, which the fetch passed over: "<key>: <error>". */
  broken?: string;
}

const KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** KEYS[1..10]: delayed, active, marker, wait:0..4, fair, leases. */
export function fetchKeys(keys: QueueKeys): readonly string[] {
  return keyList(KEYS, keys, (k) => [k.delayed, k.active, k.marker, ...k.wait, k.fair, k.leases]);
}

/** ARGV[1..8]: base, workerId, leaseMs, count, promoteLimit, weights, limits, token; pushed onto `args`. */
export function pushFetchArgs(args: Array<string | number>, input: FetchInput): void {
  args.push(input.keys.base, input.workerId, input.leaseMs, input.count, input.promoteLimit, input.weights, input.limits, input.token);
}

/** Leases jobs on `client` (a blocking connection queues the call behind its read). */
export async function fetchJobs(client: RedisClient, input: FetchInput, replies: ReplyMode = "text"): Promise<FetchReply> {
  const args: Array<string | number> = [];
  pushFetchArgs(args, input);
  return parseFetchReply((await runScript(client, "fetch", fetchKeys(input.keys), args, replies)) as unknown[]);
}

const HEADER = 4;
/** The small fields before the id; the id is the rest. */
const FIELDS_BEFORE_ID = 7;

/**
 * fetch-10.lua's reply, from position `from` of `reply` (complete-12.lua's comes after its own
 * answers): { nextDueInMs, now, token, broken, then per job its "|"-joined small fields and its
 * payload }. The script checked every small field but the id to hold no "|" (a name is a name, the
 * rest are numbers) and put the id last, so an id written by hand with a "|" stays whole.
 */
export function parseFetchReply(reply: unknown[], from = 0): FetchReply {
  const jobs: LeasedJob[] = [];
  const startedAt = Number(reply[from + 1]);
  const token = String(reply[from + 2]);
  for (let i = from + HEADER; i + 2 <= reply.length; i += 2) {
    const entry = reply[i + 1] as string | Buffer | null;
    if (isPendingEntry(entry)) {
      jobs.push(pendingJob(String(reply[i]), entry, token, startedAt));
      continue;
    }
    const fields = String(reply[i]).split("|");
    const [version, attempt, maxAttempts, timeoutMs, createdAt, trace, name] = fields;
    const id = fields.length === FIELDS_BEFORE_ID + 1 ? fields[FIELDS_BEFORE_ID] : fields.slice(FIELDS_BEFORE_ID).join("|");
    jobs.push({
      id,
      token: `${token}.${id}`,
      name,
      payload: entry ?? "",
      version: version === "" ? 1 : Number(version),
      attempt: Number(attempt),
      maxAttempts: Number(maxAttempts),
      timeoutMs: timeoutMs === "" ? undefined : Number(timeoutMs),
      createdAt: Number(createdAt),
      startedAt,
      // Always set, so every leased job has one shape.
      traceContext: trace === "" ? undefined : trace,
    });
  }
  // Text, or bytes when the caller asked for buffer replies; nil (null) when no key was broken.
  const broken = reply[from + 3] as string | Buffer | null;
  return { nextDueInMs: Number(reply[from]), jobs, ...(broken ? { broken: String(broken) } : {}) };
}

/**
 * A job leased from the pending form: the reply carries its id and its data entry as it is,
 * "\x01<ct>|<n>|<p>|<m>|<v>|<t>\n<payload>" (pending-job.lua), whose fields the script checked as it
 * checks a record's (a name is a name, the rest numbers); this is its first attempt, untraced.
 * The fields are ASCII, so a Buffer's bytes and a string's characters line up to the payload.
 */
function pendingJob(id: string, entry: string | Buffer, token: string, startedAt: number): LeasedJob {
  const text = typeof entry === "string";
  const end = entry.indexOf(NEWLINE);
  const [createdAt, name, , maxAttempts, version, timeoutMs] = (text ? entry.slice(1, end) : entry.toString("latin1", 1, end)).split("|");
  let payload: string | Buffer;
  if (text) payload = entry.slice(end + 1);
  else {
    // A binary envelope (0x00) stays bytes; any other payload is text, as for a job with a record.
    const bytes = entry.subarray(end + 1);
    payload = bytes[0] === 0x00 ? bytes : bytes.toString("utf8");
  }
  return {
    id,
    token: `${token}.${id}`,
    name,
    payload,
    version: version === "" ? 1 : Number(version),
    attempt: 1,
    maxAttempts: Number(maxAttempts),
    timeoutMs: timeoutMs === "" ? undefined : Number(timeoutMs),
    createdAt: Number(createdAt),
    startedAt,
    traceContext: undefined,
  };
}

const NEWLINE = "\n";
