/**
 * A queue split into shards: each shard is a key set of its own under its own Cluster hash tag, so
 * one hot queue can spread over several masters. Shard 0 keeps the queue's plain tag `{queue}` (an
 * unsharded queue is a queue of one shard, and its data stays valid when it grows shards); shard
 * i > 0 is `{queue#i.k}`: `#` is allowed in a hash tag but never in a queue name, so no tag of one
 * queue can be another queue's.
 *
 * The salt k steers where a shard lands. Tags chosen by name alone (`queue#1`, `queue#2`) hash to
 * slots that often share a master (`social`, `social#1` and `social#2` all fall on the middle master
 * of a 3-master cluster). So shard i takes the salt whose slot is nearest to shard 0's slot plus
 * i/n of the slot space: the n shards sit evenly around the slots, one per master on a cluster of n
 * equal masters (the layout `redis-cli --cluster create` makes), two per master on n/2, and so on.
 * The choice is a pure function of (queue, n), so every producer and worker agrees without asking
 * Redis. Changing n moves shards, see the README.
 *
 * A job id says which shard holds the job, so a handle, `GET /jobs/:id` or the CLI find it from the
 * id alone:
 * - counted ids (all digits) of shard i are numbered from i × SHARD_ID_SPAN (see shard-sequence.ts),
 *   so the shard is the id divided by the span, and counted ids of two shards never collide;
 * - any other id (an explicit jobId, a schedule's firing) lives on the shard its stable hash picks.
 */
import { ConfigError } from "../errors.js";
import { SLOTS, tagSlot } from "./key-slot.js";
import { MAX_SHARDS } from "../contract/queue-options.js";

/**
 * Counted ids per shard. Lua numbers print with 14 significant digits, so the largest id a script
 * makes must stay below 10^14: with this span that allows 99 shards of 10^12 ids each.
 */
export const SHARD_ID_SPAN = 1e12;
/** Most shards of a queue (the contract's): well inside the 99 the id span allows. */
export { MAX_SHARDS };
/** Salts tried per shard: enough to land within a few slots of the target. */
const SALTS = 1024;

export function assertShards(queue: string, shards: number): void {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new ConfigError(`queue ${queue}: shards must be an integer from 1 to ${MAX_SHARDS}, got ${String(shards)}`);
  }
}

const tagCache = new Map<string, readonly string[]>();

/** The hash tag contents of a queue's shards, shard 0 (the queue's own name) first. */
export function shardTags(queue: string, shards: number): readonly string[] {
  const cacheKey = `${queue}#${shards}`;
  let tags = tagCache.get(cacheKey);
  if (!tags) {
    const home = tagSlot(queue);
    const list = [queue];
    for (let shard = 1; shard < shards; shard++) list.push(steeredTag(queue, shard, (home + Math.round((shard * SLOTS) / shards)) % SLOTS));
    tags = Object.freeze(list);
    tagCache.set(cacheKey, tags);
  }
  return tags;
}

/** `queue#shard.k` with the smallest salt k among those whose slot is nearest `target` (k = 0 is written `queue#shard`). */
function steeredTag(queue: string, shard: number, target: number): string {
  let best = "";
  let bestDistance = Infinity;
  for (let salt = 0; salt < SALTS && bestDistance > 0; salt++) {
    const tag = salt === 0 ? `${queue}#${shard}` : `${queue}#${shard}.${salt}`;
    const gap = Math.abs(tagSlot(tag) - target);
    const distance = Math.min(gap, SLOTS - gap);
    if (distance < bestDistance) [best, bestDistance] = [tag, distance];
  }
  return best;
}

/** A shard tag's queue and shard index (`hot#2.17` → hot, 2); undefined for a tag no shard has. */
export function parseShardTag(tag: string): { queue: string; shard: number } | undefined {
  const match = /^([^#]+)(?:#([1-9]\d?)(?:\.([1-9]\d{0,3}))?)?$/.exec(tag);
  return match ? { queue: match[1], shard: match[2] === undefined ? 0 : Number(match[2]) } : undefined;
}

/**
 * How many shards a queue has, from the tags found in Redis: the fewest whose tag list holds every
 * one of them (the highest index found says at least how many).
 */
export function shardsOfTags(queue: string, found: Iterable<{ tag: string; shard: number }>): number {
  const seen = [...found];
  const least = Math.max(1, ...seen.map((t) => t.shard + 1));
  for (let shards = least; shards <= MAX_SHARDS; shards++) {
    const tags = shardTags(queue, shards);
    if (seen.every((t) => tags[t.shard] === t.tag)) return shards;
  }
  return least;
}

/** 32-bit FNV-1a: stable across processes and versions, which is all placement needs of a hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The shard a key (an explicit job id, a unique key) places its job on. */
export function shardOfKey(key: string, shards: number): number {
  return shards === 1 ? 0 : fnv1a(key) % shards;
}

/** The shard that holds the job with this id (see the file comment). */
export function shardOfId(id: string, shards: number): number {
  if (shards === 1) return 0;
  if (/^\d+$/.test(id)) return Math.min(Math.floor(Number(id) / SHARD_ID_SPAN), shards - 1);
  return shardOfKey(id, shards);
}

/** Every shard index of a queue of `shards` shards: 0, 1, …, shards - 1. */
export function shardIndexes(shards: number): number[] {
  return Array.from({ length: shards }, (_, i) => i);
}
