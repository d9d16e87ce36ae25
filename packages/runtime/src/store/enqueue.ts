/**
 * enqueue-8.lua: adds one or more jobs to one queue (shard) atomically, all of them or none. Its
 * ARGV carry 4 fields per job: id, name, payload, and the rarely set options joined by "|" (see the
 * script's header); this file is the one place that lays them out.
 */
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "../redis/connection.js";
import { isName, type QueueKeys } from "../redis/keys.js";
import { runScriptCoalesced } from "./coalesced-scripts.js";
import { sendMerged } from "./merged-enqueues.js";
import { defineScripts, pipeScript, runScript } from "../redis/scripts.js";
import { keyList } from "./key-lists.js";

type Arg = string | number | Buffer;

/** The jobs of one enqueue call, as they are added: the script's ARGV being built. */
export interface EnqueueBatch {
  readonly keys: QueueKeys;
  /** base, count, then 4 per job. */
  readonly args: Arg[];
  /** While the batch holds one job added by `addSharedJob` of a plain job type: its single-job fields. */
  single?: SingleJob;
}

/** A plain job's fields for enqueue-plain-4.lua: "name|priority|maxAttempts|version|timeoutMs", and its priority. */
export interface SingleJob {
  readonly fields: string;
  readonly priority: number;
}

/** The options field jobs of one type share when enqueued without options, made once per job type. */
export interface SharedOptions {
  readonly packed: string;
  /** Set when such a job is plain (see `singleJob`): worked out once, not per enqueue. */
  readonly single: SingleJob | undefined;
}

/**
 * A job's 14 enqueue fields, in this order: id ("" = counted), name, payload, version, priority
 * index, max attempts, timeoutMs, runAt ms, delayMs ("" = none for these three), rate-limit group,
 * unique key, unique ttl ms, parent ids (comma-separated), parent failure policy.
 */
export type EnqueueFields = readonly Arg[];

/** What the script did. */
export type EnqueueReply =
  /** The ids of the call's jobs, in call order (an existing job's, for an id or unique key that named one). */
  | { readonly ids: string[]; readonly missing?: undefined }
  /** Nothing written: the job at `index` of the call names a parent that does not exist. */
  | { readonly ids?: undefined; readonly missing: { readonly index: number; readonly parentId: string } };

const KEYS = new WeakMap<QueueKeys, readonly string[]>();

/** KEYS[1..8]: seq, delayed, marker, wait:0..4. */
export function enqueueKeys(k: QueueKeys): readonly string[] {
  return keyList(KEYS, k, () => [k.seq, k.delayed, k.marker, ...k.wait]);
}

const PLAIN_KEYS = [0, 1, 2, 3, 4].map(() => new WeakMap<QueueKeys, readonly string[]>());

/** enqueue-plain-4.lua's KEYS for a job of priority index `priority`: seq, data, its wait list, marker. */
function plainKeyList(k: QueueKeys, priority: number): readonly string[] {
  return keyList(PLAIN_KEYS[priority], k, () => [k.seq, `${k.base}data`, k.wait[priority], k.marker]);
}

/** An empty call for `count` jobs, to which exactly `count` are then added. */
export function enqueueBatch(keys: QueueKeys, count: number): EnqueueBatch {
  return { keys, args: [keys.base, count] };
}

/**
 * The options field of a job from its 14 fields and its encoded trace context ("" = none):
 * everything after the payload joined by "|", the trace context next to last and the rate-limit
 * group last (ids, names, numbers, unique keys, parent lists and encoded trace contexts hold no "|";
 * a group, taken from the payload, may).
 */
export function packEnqueueOptions(fields: EnqueueFields, trace = ""): string {
  const [, , , version, priority, attempts, timeoutMs, runAt, delayMs, group, unique, uniqueTtl, parents, policy] = fields;
  return [version, priority, attempts, timeoutMs, runAt, delayMs, unique, uniqueTtl, parents, policy, trace, group].join("|");
}

/** Adds a job by its 14 fields and its encoded trace context, if any. */
export function addEnqueueFields(batch: EnqueueBatch, fields: EnqueueFields, trace?: string): void {
  batch.args.push(fields[0], fields[1], fields[2], packEnqueueOptions(fields, trace));
}

/** The shared options of a job type from its packed options field (`packEnqueueOptions`). */
export function sharedOptions(name: string, packed: string): SharedOptions {
  return { packed, single: singleFields(name, packed) };
}

/** Adds a counted job of a type enqueued without options: a push, and for a lone job its single-job fields. */
export function addSharedJob(batch: EnqueueBatch, name: string, payload: Arg, shared: SharedOptions): void {
  batch.args.push("", name, payload, shared.packed);
  batch.single = batch.args.length === 6 ? shared.single : undefined;
}

/** Adds a job whose options field is already packed (one string many jobs of a type share). */
export function addPackedJob(batch: EnqueueBatch, id: string, name: string, payload: Arg, options: string): void {
  batch.args.push(id, name, payload, options);
}

/**
 * Writes the batch; rejects with the script's error (a malformed argument) with nothing written.
 * Single enqueues made while others of the client are out go as one call (merged-enqueues.ts); other
 * calls made then share a socket write (coalesced-scripts.ts).
 */
export function enqueueJobs(client: RedisClient, batch: EnqueueBatch): Promise<EnqueueReply> {
  return sendMerged(client, batch, (b, now) => sendEnqueue(client, b, now));
}

async function sendEnqueue(client: RedisClient, batch: EnqueueBatch, now: boolean): Promise<EnqueueReply> {
  const plain = singleJob(batch);
  if (plain !== undefined) {
    // One plain job: enqueue-plain-4.lua, a fraction of enqueue-8.lua's Redis time.
    const plainKeys = plainKeyList(batch.keys, plain.priority);
    const args = [batch.keys.base, plain.fields, batch.args[4]];
    const id = now ? await runScript(client, "enqueuePlain", plainKeys, args) : await runScriptCoalesced(client, "enqueuePlain", plainKeys, args);
    return { ids: [String(id)] };
  }
  const keys = enqueueKeys(batch.keys);
  const reply = now ? await runScript(client, "enqueue", keys, batch.args) : await runScriptCoalesced(client, "enqueue", keys, batch.args);
  return decodeEnqueueReply(reply, batch);
}

/**
 * For a batch of one plain job (a counted id; no unique key, parents, delay, rate-limit group or
 * trace context), enqueue-plain-4.lua's fields and the job's priority; undefined for any other batch.
 */
export function singleJob(batch: EnqueueBatch): SingleJob | undefined {
  const args = batch.args;
  if (args.length !== 6) return undefined;
  if (batch.single !== undefined) return batch.single;
  return args[2] === "" && typeof args[5] === "string" ? singleFields(String(args[3]), args[5]) : undefined;
}

const PRIORITY_INDEX = /^[0-4]$/;
/** A positive whole number of at most 15 digits (every double holds it exactly). */
const POSITIVE_COUNT = /^(?=\d*[1-9])\d{1,15}$/;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The single-job fields of a counted job from its name and options field
 * "version|priority|attempts|timeoutMs|runAt|delayMs|unique|uniqueTtl|parents|policy|trace|group",
 * or undefined when the job is not plain. (Version "" stands for 1.)
 *
 * enqueue-plain-4.lua takes these fields as they are (the fetch reads them back): they are checked
 * here, once per job type, rather than by the script on every call. Anything else goes to
 * enqueue-8.lua, which refuses it with the reason.
 */
function singleFields(name: string, options: string): SingleJob | undefined {
  const o = options.split("|");
  if (o.length !== 12 || o[4] !== "" || o[5] !== "" || o[6] !== "" || o[8] !== "" || o[10] !== "" || o[11] !== "") return undefined;
  const [version, priority, attempts, timeoutMs] = o;
  if (!isName(name) || !PRIORITY_INDEX.test(priority) || !POSITIVE_COUNT.test(attempts)) return undefined;
  if (version !== "" && !POSITIVE_COUNT.test(version)) return undefined;
  if (timeoutMs !== "" && !(POSITIVE_COUNT.test(timeoutMs) && Number(timeoutMs) <= MAX_TIMEOUT_MS)) return undefined;
  return { fields: `${name}|${priority}|${attempts}|${version === "1" ? "" : version}|${timeoutMs}`, priority: Number(priority) };
}

/**
 * A pipeline of `client` that starts with the batch's script call (whose reply `decodeEnqueueReply`
 * reads), for the caller to add to. The script is defined on the client first: a pipeline takes the
 * client's commands as they are when it is made.
 */
export function pipeEnqueue(client: RedisClient, batch: EnqueueBatch): ChainableCommander {
  defineScripts(client);
  const pipeline = client.pipeline();
  pipeScript(pipeline, "enqueue", enqueueKeys(batch.keys), batch.args);
  return pipeline;
}

/**
 * The script's reply: { "missing", index, parentId }; or id, created per job; or, when every job got
 * a counted id, only the first id, the i-th job's being firstId + i - 1.
 */
export function decodeEnqueueReply(reply: unknown, batch: EnqueueBatch): EnqueueReply {
  const values = reply as unknown[];
  if (values[0] === "missing") return { missing: { index: Number(values[1]), parentId: String(values[2]) } };
  const count = Number(batch.args[1]);
  if (values.length === 1) return { ids: Array.from({ length: count }, (_, i) => String(Number(values[0]) + i)) };
  return { ids: values.filter((_, i) => i % 2 === 0).map(String) };
}
