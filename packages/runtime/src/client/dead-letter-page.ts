/**
 * Reads one page of a dead-letter queue, newest death first, costing Redis and memory in proportion
 * to the page, never to the queue: the `dead` ZSET (scored by time of death) is read from a position
 * in slices, a name filter looks at each entry's name only, and only the jobs taken are read whole.
 *
 * A sharded queue keeps a dead set per shard: each is read from its own position and the candidates
 * merged by time of death. The position to go on from is one number per shard. A shard whose
 * candidates were not all taken is re-read from after its last taken one, so nothing is skipped; a
 * name filter looks at no more than SCAN_BUDGET entries per shard and page, so a rare name costs
 * several short pages rather than one long read.
 */
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { readJobNames } from "../store/index.js";

/** Entries read per ZREVRANGE. */
const SLICE = 500;
/** Entries a name filter looks at per shard and page before handing back a position. */
const SCAN_BUDGET = 10_000;

/** A dead job found by the scan: its id, when it died (its score) and its position in its shard. */
export interface DeadCandidate {
  id: string;
  diedAtMs: number;
  shard: number;
  position: number;
}

interface ShardScan {
  candidates: DeadCandidate[];
  /** The position after the last entry looked at. */
  scannedTo: number;
  exhausted: boolean;
}

async function scanShard(redis: RedisClient, keys: QueueKeys, shard: number, from: number, want: number, name: string | undefined): Promise<ShardScan> {
  const candidates: DeadCandidate[] = [];
  let position = from;
  while (candidates.length < want && position - from < SCAN_BUDGET) {
    const size = name === undefined ? Math.min(SLICE, want - candidates.length) : SLICE;
    const reply = await redis.zrevrange(keys.dead, position, position + size - 1, "WITHSCORES");
    const ids = reply.filter((_, i) => i % 2 === 0);
    if (ids.length === 0) return { candidates, scannedTo: position, exhausted: true };
    const names = name === undefined ? undefined : await readJobNames(redis, keys, ids);
    for (let i = 0; i < ids.length && candidates.length < want; i++) {
      if (names === undefined || names[i] === name) candidates.push({ id: ids[i], diedAtMs: Number(reply[2 * i + 1]), shard, position: position + i });
    }
    // Filled before the end of the slice: the entries after the last one taken were not looked at, so the shard goes on from there.
    const last = candidates[candidates.length - 1];
    const looked = candidates.length === want && last !== undefined && last.position >= position ? last.position + 1 - position : ids.length;
    position += looked;
    if (looked < ids.length) return { candidates, scannedTo: position, exhausted: false };
    if (ids.length < size) return { candidates, scannedTo: position, exhausted: true };
  }
  return { candidates, scannedTo: position, exhausted: false };
}

/**
 * The `limit` newest dead jobs from `from` (one position per shard; Default: the start of each),
 * and the positions to go on from, undefined when every shard is read to its end.
 */
export async function readDeadPage(
  redis: RedisClient,
  shards: QueueKeys[],
  limit: number,
  name: string | undefined,
  from: readonly number[] = [],
): Promise<{ taken: DeadCandidate[]; next?: number[] }> {
  const scans = await Promise.all(shards.map((keys, shard) => scanShard(redis, keys, shard, from[shard] ?? 0, limit, name)));
  const merged = scans.flatMap((s) => s.candidates).sort((a, b) => b.diedAtMs - a.diedAtMs || a.shard - b.shard || a.position - b.position);
  const taken = merged.slice(0, limit);
  let more = false;
  const next = scans.map((scan, shard) => {
    const mine = taken.filter((c) => c.shard === shard);
    const left = scan.candidates.length - mine.length;
    if (left > 0 || !scan.exhausted) more = true;
    // Candidates not taken are read again next page; a shard that offered none is past what it looked at.
    if (left > 0) return mine.length === 0 ? (from[shard] ?? 0) : mine[mine.length - 1].position + 1;
    return scan.scannedTo;
  });
  return more ? { taken, next } : { taken };
}
