/**
 * complete-12.lua: completes the leased jobs that finished in the same moment, each fenced by its
 * lease token, and in the same call leases the jobs filling the slots they free.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { runScript, type ReplyMode } from "../redis/scripts.js";
import { fetchKeys, parseFetchReply, pushFetchArgs, type FetchInput, type FetchReply } from "./fetch.js";
import { keyList } from "./key-lists.js";

/** One job's completion. */
export interface Completion {
  /** The leased job: its id and the token of its lease. */
  readonly job: { readonly id: string; readonly token: string };
  /** The result as JSON. */
  readonly result: string;
  /** How long the record and result are kept. */
  readonly keepResultMs: number;
}

/** What complete-12.lua says: per completion whether it landed (false: the lease was lost), then the fetch. */
export interface CompleteReply {
  accepted: boolean[];
  fetched: FetchReply;
}

const KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** Completes `completions` and leases up to `fetch.count` jobs (the fetch's `keys` are the queue's). */
export async function completeJobs(
  client: RedisClient,
  fetch: FetchInput,
  completions: readonly Completion[],
  replies: ReplyMode = "text",
): Promise<CompleteReply> {
  // KEYS: completed, events, then fetch-10.lua's; ARGV: fetch-10.lua's, count, then 4 per job.
  const keys = keyList(KEYS, fetch.keys, (k) => [k.completed, k.events, ...fetchKeys(k)]);
  const args: Array<string | number> = [];
  pushFetchArgs(args, fetch);
  args.push(completions.length);
  for (const { job, result, keepResultMs } of completions) args.push(job.id, job.token, result, keepResultMs);
  const reply = (await runScript(client, "complete", keys, args, replies)) as unknown[];
  const accepted = new Array<boolean>(completions.length);
  for (let i = 0; i < completions.length; i++) accepted[i] = reply[i] === 1;
  return { accepted, fetched: parseFetchReply(reply, completions.length) };
}
