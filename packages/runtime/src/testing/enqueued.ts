/**
 * What a piece of code enqueued, read back from Redis: the jobs of one job type that wait to run
 * (waiting, or delayed: a `delayMs`/`runAt`, a retry's backoff). Queues are found by scanning Redis
 * (job names are unique across a jobs.ts, so the name alone finds them), which suits a test's small
 * keyspace, not a production one.
 */
import { QueueInspector } from "../admin/queue-inspector.js";
import type { Worker } from "../worker/worker.js";
import { redisOf, type JobNameOf, type JobPayloadOf, type TestClient } from "./test-target.js";

/** One job waiting to run, as {@link enqueued} lists it. */
export interface EnqueuedJob<P> {
  /** The job's id. */
  id: string;
  /** Its queue. */
  queue: string;
  /** `waiting` to run now, or `delayed` until `dueAt`. */
  state: "waiting" | "delayed";
  /** The payload as stored: JSON, so a `Date` field reads as its ISO string. */
  payload: AsStored<P>;
  /** When a delayed job comes due (Redis time). */
  dueAt?: Date;
}

/** A payload type as its stored JSON reads: each `Date` an ISO string. */
export type AsStored<P> = P extends Date ? string : P extends object ? { [K in keyof P]: AsStored<P[K]> } : P;

/** The longest list read per queue and state; a test enqueues far fewer. */
const MOST_JOBS = 10_000;
/** The most one page of the inspector holds. */
const PAGE_JOBS = 1_000;

/**
 * The jobs of type `name` waiting to run (waiting, then delayed), next to run first.
 *
 * @param client - A generated `TaskqClient` (then `name` is typed), the runtime `Client`, or a `Worker`.
 * @param name - The job type, e.g. `"sendWelcome"`.
 */
export async function enqueued<C extends TestClient | Worker, N extends JobNameOf<C>>(client: C, name: N): Promise<Array<EnqueuedJob<JobPayloadOf<C, N>>>> {
  const inspector = new QueueInspector({ connection: redisOf(client) });
  const found: Array<EnqueuedJob<JobPayloadOf<C, N>>> = [];
  for (const queue of await inspector.queues()) {
    for (const state of ["waiting", "delayed"] as const) {
      const jobs = [];
      // Read in pages of the most a page may hold, up to MOST_JOBS.
      let cursor: string | undefined;
      do {
        const page = await inspector.pageJobs({ state, queue: queue.name, limit: PAGE_JOBS, ...(cursor === undefined ? {} : { cursor }) });
        jobs.push(...page.jobs);
        cursor = page.nextCursor;
      } while (cursor !== undefined && jobs.length < MOST_JOBS);
      for (const job of jobs.filter((j) => j.name === name)) {
        const detail = await inspector.getJob(queue.name, job.id);
        if (detail)
          found.push({
            id: job.id,
            queue: queue.name,
            state,
            payload: detail.payload as AsStored<JobPayloadOf<C, N>>,
            ...(job.dueAt ? { dueAt: job.dueAt } : {}),
          });
      }
    }
  }
  await inspector.close();
  return found;
}

/** A part of a payload: any of its fields, each matched deeply (arrays whole, objects in part). */
export type PartialPayload<P> = P extends Date
  ? Date | string
  : P extends readonly unknown[]
    ? P
    : P extends object
      ? { [K in keyof P]?: PartialPayload<P[K]> }
      : P;

/**
 * Asserts that a job of type `name` waits to run whose payload has every field of `expected` (deeply;
 * arrays compared whole; a `Date` matches its ISO string), and returns it. Throws an `Error` listing
 * every job of that type that waits, when none matches: works under any test runner.
 *
 * @param client - A generated `TaskqClient` (then `name` and `expected` are typed), the runtime `Client`, or a `Worker`.
 * @param name - The job type, e.g. `"sendWelcome"`.
 * @param expected - The fields the payload must have. (Default: any payload)
 */
export async function expectEnqueued<C extends TestClient | Worker, N extends JobNameOf<C>>(
  client: C,
  name: N,
  expected?: PartialPayload<JobPayloadOf<C, N>>,
): Promise<EnqueuedJob<JobPayloadOf<C, N>>> {
  const jobs = await enqueued(client, name);
  // As stored: a Date becomes its ISO string, undefined fields disappear.
  const wanted: unknown = expected === undefined ? undefined : JSON.parse(JSON.stringify(expected));
  const match = jobs.find((job) => wanted === undefined || matches(job.payload, wanted));
  if (match) return match;
  const what = wanted === undefined ? "" : ` with a payload matching ${JSON.stringify(wanted)}`;
  const found =
    jobs.length === 0
      ? `no ${JSON.stringify(name)} job is waiting or delayed`
      : `none of the ${jobs.length} waiting or delayed matches:\n${jobs.map((j) => `  ${j.id} (${j.state}) ${JSON.stringify(j.payload)}`).join("\n")}`;
  throw new Error(`expected a ${JSON.stringify(name)} job to be enqueued${what}, but ${found}`);
}

function matches(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e) && matches(e, actual[i]));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([key, value]) => matches((actual as Record<string, unknown>)[key], value));
  }
  return Object.is(actual, expected);
}
