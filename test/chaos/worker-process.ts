/**
 * One chaos worker: the tweet example's generated worker in a process of its own, with a Twitter
 * client that records every run in Redis (`chaos:log`: "<tweetId> <startMs> <pid>") and takes
 * CHAOS_JOB_MS per call ("slow-*" ids take CHAOS_SLOW_JOB_MS). It prints "ready", then one line per
 * outcome ("completed <id>", "lost <id>"), and exits on SIGTERM after a graceful close. Redis is
 * TASKQ_REDIS_URL, or the cluster of CHAOS_CLUSTER_NODES ("host:port,…").
 */
import { createWorker } from "../../examples/tweet/generated/index.js";
import { SocialJobs } from "../../examples/tweet/jobs.js";
import { TwitterClient } from "../../examples/tweet/twitter.js";
import { openRedis, targetFromEnv } from "./target.js";

// TASKQ_REDIS_URL, or CHAOS_CLUSTER_NODES for a cluster: the same value is taskq's `connection`.
const target = targetFromEnv();
const jobMs = Number(process.env.CHAOS_JOB_MS ?? 20);
const slowJobMs = Number(process.env.CHAOS_SLOW_JOB_MS ?? 3_000);
const recorder = openRedis(target); // waits through Redis restarts and failovers, which are part of the chaos

class RecordingTwitter extends TwitterClient {
  constructor() {
    super({ failureRate: 0 });
  }

  override async delete(tweetId: string): Promise<void> {
    await recorder.rpush("chaos:log", `${tweetId} ${Date.now()} ${process.pid}`);
    await new Promise((r) => setTimeout(r, tweetId.startsWith("slow-") ? slowJobMs : jobMs));
  }
}

const worker = createWorker({
  connection: target,
  jobs: { social: new SocialJobs(new RecordingTwitter()) },
  concurrency: Number(process.env.CHAOS_CONCURRENCY ?? 10),
  deadAfterMs: process.env.CHAOS_DEAD_AFTER_MS ? Number(process.env.CHAOS_DEAD_AFTER_MS) : undefined,
  shutdownTimeoutMs: Number(process.env.CHAOS_SHUTDOWN_MS ?? 5_000),
  handleSignals: true,
});
worker.on("completed", ({ job }) => process.stdout.write(`completed ${job.id}\n`));
worker.on("lost", ({ job }) => process.stdout.write(`lost ${job.id}\n`));
worker.on("failed", ({ job, error }) => process.stdout.write(`failed ${job.id} ${error.kind} ${error.error.message}\n`));
process.stdout.write(`ready ${worker.id}\n`);

process.once("SIGTERM", () => {
  // The worker closes itself on SIGTERM (handleSignals); exit once it has.
  void worker.close().then(async () => {
    process.stdout.write("closed\n");
    recorder.disconnect();
    process.exit(0);
  });
});
