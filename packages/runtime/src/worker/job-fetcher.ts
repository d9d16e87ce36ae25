/**
 * The fetches of one queue runner: what fetch-10.lua is asked for (the queue's weights and rate limits,
 * fixed for the queue, and a lease token of its own each), and its reply read, broken keys reported.
 * The same input goes with a batch of completions (see completion-batcher.ts).
 */
import type { QueueRegistration } from "../definition.js";
import { DEFAULT_PRIORITY_WEIGHTS } from "../options.js";
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { fetchJobs, type FetchInput, type FetchReply, type ReplyMode } from "../store/index.js";
import { writesBinary } from "../payload/envelope.js";
import { BrokenKeyReports } from "./broken-key-reports.js";
import { rateLimits } from "./rate-limits.js";
import { LeaseTokens } from "./lease-tokens.js";

const PROMOTE_LIMIT = 1_000;

export class JobFetcher {
  private readonly tokens: LeaseTokens;
  /** A fetch's weights and limits, fixed for the queue. */
  private readonly weights: string;
  private readonly limits: string;
  /** Text replies, unless the queue writes binary payloads (see redis/scripts.ts's ReplyMode). */
  readonly replies: ReplyMode;
  private readonly brokenKeys: BrokenKeyReports;

  constructor(
    queue: QueueRegistration,
    redis: RedisClient,
    private readonly keys: QueueKeys,
    shard: number,
    private readonly workerId: string,
    private readonly leaseMs: number,
    report: (error: Error) => void,
  ) {
    this.tokens = new LeaseTokens(redis, keys, shard);
    this.brokenKeys = new BrokenKeyReports(queue.name, report);
    this.weights = queue.priorities === "strict" ? "" : (queue.priorities ?? DEFAULT_PRIORITY_WEIGHTS).join(",");
    this.limits = rateLimits(queue);
    this.replies = Object.values(queue.jobs).some(({ definition }) => writesBinary(definition.queue)) ? "binary-payloads" : "text";
  }

  /** Takes the lease-token base, once, before the first fetch (see lease-tokens.ts). */
  ready(): Promise<void> {
    return this.tokens.ready();
  }

  /** A fetch reply, its broken key (if any) reported. */
  parse(reply: FetchReply): FetchReply {
    if (reply.broken) this.brokenKeys.note(reply.broken);
    return reply;
  }

  /** Leases up to `count` jobs, on `client` (the blocking connection queues it behind its read). */
  fetch(client: RedisClient, count: number): Promise<FetchReply> {
    return fetchJobs(client, this.fetchInput(count), this.replies);
  }

  /** A fetch of up to `count` jobs, alone or with a batch of completions; each takes a token of its own. */
  fetchInput(count: number): FetchInput {
    const { keys, workerId, leaseMs, weights, limits } = this;
    return { keys, workerId, leaseMs, count, promoteLimit: PROMOTE_LIMIT, weights, limits, token: this.tokens.next() };
  }
}
