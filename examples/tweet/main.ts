/**
 * `npm run example`: a worker and a producer in one process. Enqueues a few tweets through the
 * generated, typed `enqueueTweet()`, prints what happens to each (completed with its tweet id,
 * retried, dead-lettered), and exits.
 */
import { JobFailedError, ValidationError } from "@taskq/runtime";
import { closeDefaultClient, configure, enqueueTweet, type Tweet } from "./generated/index.js";
import { ensureRedis } from "./redis.js";
import { startWorker } from "./worker.js";

const redis = await ensureRedis();
configure({ connection: redis.url });
// The fake Twitter fails 40 % of calls, so some tweets are retried and a few use up their attempts.
const worker = startWorker(redis.url, { failureRate: 0.4 });
worker.on("failed", ({ job, error }) => {
  const next = error.kind === "retry" ? `retrying in ${error.delayMs} ms` : error.kind === "dead" ? "dead-lettered" : "released";
  console.log(`  job ${job.id} attempt ${job.attempt} failed (${error.error.message}); ${next}`);
});

try {
  await enqueueTweet({ content: "x".repeat(281) });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`refused before anything was written: ${error.message}`);
}

const tweets: Tweet[] = [
  ...Array.from({ length: 8 }, (_, i) => ({ content: `Hello from taskq, tweet #${i + 1}` })),
  // Refused by the fake Twitter with a PermanentError: dead-lettered at once, no retries.
  { content: "Buy followers now! spam spam spam" },
];
const handles = await Promise.all(tweets.map((tweet) => enqueueTweet(tweet)));
console.log(`enqueued ${handles.length} tweets: ${handles.map((h) => h.id).join(", ")}`);

const outcomes = await Promise.all(
  handles.map(async (handle) => {
    try {
      const posted = await handle.result({ timeoutMs: 30_000 });
      console.log(`✔ job ${handle.id} completed: tweet id ${posted.tweetId}`);
      return "completed";
    } catch (error) {
      if (!(error instanceof JobFailedError)) throw error;
      console.log(`✘ job ${handle.id} dead-lettered after ${error.errors.length} attempt${error.errors.length === 1 ? "" : "s"}: ${error.message}`);
      return "dead";
    }
  }),
);
const completed = outcomes.filter((o) => o === "completed").length;
console.log(`done: ${completed} completed, ${outcomes.length - completed} dead-lettered`);

await worker.close();
await closeDefaultClient();
await redis.stop();
