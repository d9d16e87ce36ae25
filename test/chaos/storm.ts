/**
 * The kill storm: N worker processes drain a queue of jobs while, every `killEveryMs`, a random one is
 * SIGKILLed and replaced; optionally Redis itself is restarted midway. Reports what a user who lost
 * jobs to another queue asks: were any lost, were any run twice beyond those in flight on killed
 * workers, and how long killed workers' jobs took to be picked up again.
 */
import { createClient } from "../../examples/tweet/generated/index.js";
import { jobsHeldBy, kill, percentile, readRuns, sleep, spawnWorker, tweetIdOf, type ChaosWorker } from "./harness.js";
import { openRedis, type ChaosTarget } from "./target.js";

export interface StormOptions {
  /** A `redis://` URL or `{ cluster: nodes }`. */
  target: ChaosTarget;
  workers: number;
  jobs: number;
  killEveryMs: number;
  deadAfterMs?: number;
  jobMs?: number;
  /** Restart Redis this long after the start (needs `restartRedis`). */
  restartRedisAfterMs?: number;
  restartRedis?: () => Promise<void>;
  timeoutMs: number;
}

export interface StormReport {
  jobs: number;
  completed: number;
  dead: number;
  /** Jobs with no recorded run or not completed at the end. */
  lost: number;
  /** Runs beyond the first, over all jobs. */
  duplicates: number;
  /** Jobs that were in flight on a worker when it was killed: the most duplicates allowed. */
  inFlightOnKilled: number;
  kills: number;
  recoveryMs: { count: number; p50: number; p99: number; max: number };
  durationMs: number;
}

const QUEUE = "taskq:{social}:";

export async function runStorm(options: StormOptions): Promise<StormReport> {
  const redis = openRedis(options.target); // a storm may restart Redis
  const env = { target: options.target, deadAfterMs: options.deadAfterMs, jobMs: options.jobMs };
  const workers: ChaosWorker[] = await Promise.all(Array.from({ length: options.workers }, () => spawnWorker(env)));
  const client = createClient({ connection: options.target });
  const started = Date.now();
  const kills: Array<{ at: number; tweetIds: string[] }> = [];
  // Replacements start in the background: a worker process takes seconds to start on a loaded
  // machine, and a storm that waited for each would kill fewer workers the faster the rest drain.
  const starting: Array<Promise<void>> = [];
  try {
    for (let i = 0; i < options.jobs; i += 1_000) {
      const items = Array.from({ length: Math.min(1_000, options.jobs - i) }, (_, j) => ({ tweetId: `t${i + j}` }));
      await client.enqueueDeleteTweetBulk(items);
    }
    let restarted = options.restartRedisAfterMs === undefined;
    let nextKill = Date.now() + options.killEveryMs;
    while ((await redis.zcard(`${QUEUE}completed`)) + (await redis.zcard(`${QUEUE}dead`)) < options.jobs) {
      if (Date.now() - started > options.timeoutMs) throw new Error(`storm did not finish within ${options.timeoutMs} ms`);
      if (!restarted && Date.now() - started >= options.restartRedisAfterMs!) {
        restarted = true;
        await options.restartRedis!();
      }
      // Kills go on while replacements start, but never leave fewer than all but two workers running.
      if (options.killEveryMs > 0 && Date.now() >= nextKill && workers.length >= Math.max(2, options.workers - 1)) {
        nextKill = Date.now() + options.killEveryMs;
        const victim = workers.splice(Math.floor(Math.random() * workers.length), 1)[0];
        kill(victim, "SIGKILL");
        const at = Date.now();
        await victim.exited;
        // Its leases stay in the active set, naming it, until they expire: exactly its in-flight jobs.
        const held = await jobsHeldBy(redis, victim.pid);
        kills.push({ at, tweetIds: await Promise.all(held.map((id) => tweetIdOf(redis, id))) });
        starting.push(spawnWorker(env).then((worker) => void workers.push(worker)));
      }
      await sleep(25);
    }
    const durationMs = Date.now() - started;
    const runs = await readRuns(redis);
    const completed = await redis.zcard(`${QUEUE}completed`);
    const dead = await redis.zcard(`${QUEUE}dead`);
    let lost = 0;
    let duplicates = 0;
    for (let i = 0; i < options.jobs; i++) {
      const n = runs.get(`t${i}`)?.length ?? 0;
      if (n === 0) lost++;
      duplicates += Math.max(0, n - 1);
    }
    lost += options.jobs - completed - dead;
    const recoveryMs: number[] = [];
    for (const k of kills) {
      for (const id of k.tweetIds) {
        const again = runs.get(id)?.find((r) => r.at > k.at);
        if (again) recoveryMs.push(again.at - k.at);
      }
    }
    return {
      jobs: options.jobs,
      completed,
      dead,
      lost: Math.max(0, lost),
      duplicates,
      inFlightOnKilled: kills.reduce((n, k) => n + k.tweetIds.length, 0),
      kills: kills.length,
      recoveryMs: { count: recoveryMs.length, p50: percentile(recoveryMs, 50), p99: percentile(recoveryMs, 99), max: Math.max(0, ...recoveryMs) },
      durationMs,
    };
  } finally {
    await Promise.allSettled(starting);
    for (const w of workers) kill(w, "SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await client.close();
    redis.disconnect();
  }
}
