/**
 * A master failover under load: chaos worker processes drain the `social` queue of a 6-node cluster
 * while producers keep enqueuing; the master serving `{social}` is SIGKILLed mid-run, its replica is
 * promoted, and everyone has to follow. Jobs get explicit ids (`f<n>`): after a failover the promoted
 * replica's id counter may be behind, and a reused auto id would hide a lost job behind a new one.
 *
 * Lost = enqueues the producer saw acknowledged whose job never completes. Refused enqueues (an error
 * to the caller, who knows to retry) are counted apart: they are not losses.
 */
import { createClient } from "../../examples/tweet/generated/index.js";
import type { TestCluster } from "../support/redis-cluster.js";
import { masterOf, replicasOf } from "../support/slot-owner.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Cluster, Redis } from "ioredis";
import { kill, sleep, spawnWorker, until, type ChaosWorker } from "./harness.js";
import { openRedis } from "./target.js";

export interface FailoverOptions {
  cluster: TestCluster;
  durable: boolean;
  workers: number;
  /** Enqueues in flight at once. */
  producers: number;
  /** How long to enqueue before and after the kill. */
  beforeKillMs: number;
  /** The replica is paused (SIGSTOP) this long before its master is killed. */
  lagReplicaMs: number;
  afterKillMs: number;
}

export interface FailoverReport {
  durable: boolean;
  /** Enqueues acknowledged to the producer (by when they started). */
  jobs: number;
  /** Acknowledged but never completed. */
  lost: number;
  /** Enqueues that failed with an error (the caller knows; not lost). */
  refused: number;
  /** The refusals' messages (first 60 characters) and their counts. */
  refusedBecause: Record<string, number>;
  /** From the kill until the cluster named the replica master of the queue's slot. */
  promotedMs: number;
  /** From the kill until a job enqueued after it completed. */
  resumeMs: number;
  /** From the kill until the first enqueue started after it, acknowledged. */
  firstAckMs: number;
}

const QUEUE = "taskq:{social}:";
const run = promisify(execFile);

export async function runFailover(options: FailoverOptions): Promise<FailoverReport> {
  const target = { cluster: options.cluster.nodes };
  const workers: ChaosWorker[] = await Promise.all(Array.from({ length: options.workers }, () => spawnWorker({ target, deadAfterMs: 1_000, jobMs: 5 })));
  const client = createClient({ connection: target });
  const redis = openRedis(target);
  const acked = new Map<string, { startedAt: number; ackedAt: number }>();
  let refused = 0;
  const reasons = new Map<string, number>();
  let next = 0;
  let stop = false;
  const produce = async () => {
    while (!stop) {
      const tweetId = `f${next++}`;
      const startedAt = Date.now();
      try {
        await client.enqueueDeleteTweet({ tweetId }, { jobId: tweetId, durable: options.durable });
        acked.set(tweetId, { startedAt, ackedAt: Date.now() });
      } catch (error) {
        refused++;
        const reason = (error as Error).message.slice(0, 60);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        await sleep(20);
      }
    }
  };
  try {
    const producing = Promise.all(Array.from({ length: options.producers }, produce));
    await sleep(options.beforeKillMs);
    const victim = await masterOf(options.cluster, `${QUEUE}seq`);
    // Replication lag, as a network partition or a stalled replica gives it: the replica is paused and
    // its link cut, and the master goes on acknowledging writes for lagReplicaMs before it dies. (On
    // loopback a merely paused replica loses nothing: the kernel buffers what the master sent.)
    const replicas = await replicasOf(options.cluster, victim.id);
    for (const r of replicas) r.kill("SIGSTOP");
    await run("redis-cli", ["-p", String(victim.port), "client", "kill", "type", "replica"]);
    await sleep(options.lagReplicaMs);
    victim.process.kill("SIGKILL");
    const killedAt = Date.now();
    for (const r of replicas) r.kill("SIGCONT");
    const survivor = options.cluster.nodes.find((n) => n.port !== victim.port)!.port;
    const promoted = async () => (await masterOf(options.cluster, `${QUEUE}seq`, survivor).catch(() => victim)).port !== victim.port;
    await until(promoted, 20_000, "replica promoted");
    const promotedMs = Date.now() - killedAt;
    // The promoted master has no replica until the old one comes back as its replica: till then a
    // durable enqueue cannot be confirmed (and is refused), which is what durable promises.
    await options.cluster.restart(victim.port);
    await sleep(Math.max(0, killedAt + options.afterKillMs - Date.now()));
    stop = true;
    await producing;
    const afterKill = [...acked].filter(([, { startedAt }]) => startedAt > killedAt).map(([id]) => id);
    if (afterKill.length === 0) throw new Error(`no enqueue was acknowledged after the kill; refused: ${JSON.stringify(Object.fromEntries(reasons))}`);
    const lost = await settledMissing(redis, [...acked.keys()]);
    const firstAfter = firstCompleted(workers, afterKill, killedAt);
    return {
      durable: options.durable,
      jobs: acked.size,
      lost,
      refused,
      promotedMs,
      refusedBecause: Object.fromEntries(reasons),
      resumeMs: firstAfter - killedAt,
      firstAckMs: Math.min(...afterKill.map((id) => acked.get(id)!.ackedAt)) - killedAt,
    };
  } finally {
    stop = true;
    for (const w of workers) kill(w, "SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await client.close();
    redis.disconnect();
  }
}

/**
 * The ids that never complete: waits until none is missing, or the missing count has not moved for
 * 5 s (runs cut by the kill are reclaimed within deadAfterMs, 1 s), at most 30 s.
 */
async function settledMissing(redis: Redis | Cluster, ids: string[]): Promise<number> {
  const missing = async () => {
    const scores = (await redis.pipeline(ids.map((id) => ["zscore", `${QUEUE}completed`, id])).exec()) ?? [];
    return scores.filter(([, score]) => score === null).length;
  };
  let last = await missing();
  let since = Date.now();
  for (const end = Date.now() + 30_000; last > 0 && Date.now() < end && Date.now() - since < 5_000;) {
    await sleep(250);
    const now = await missing();
    if (now !== last) [last, since] = [now, Date.now()];
  }
  return last;
}

/** When the first of `ids` (jobs enqueued after the kill) was reported completed by a worker. */
function firstCompleted(workers: ChaosWorker[], ids: string[], after: number): number {
  const wanted = new Set(ids);
  const times = workers.flatMap((w) => w.lines.filter((l) => l.at > after && wanted.has(l.text.replace(/^completed /, ""))).map((l) => l.at));
  if (times.length === 0) throw new Error("no job enqueued after the kill completed");
  return Math.min(...times);
}
