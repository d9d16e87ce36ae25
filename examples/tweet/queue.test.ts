// Tests on a throwaway Redis: what the app enqueues, and what its jobs do when a worker runs them.
import { afterAll, beforeAll, expect, it } from "vitest";
import { TestClock, drain, expectEnqueued, startTestRedis, type TestRedis } from "@taskq/runtime/testing";
import { createClient, createWorker, type TaskqClient } from "./generated/index.js";
import { SocialJobs } from "./jobs.js";
import { TwitterClient } from "./twitter.js";

let redis: TestRedis;
let client: TaskqClient;

beforeAll(async () => {
  redis = await startTestRedis(); // TASKQ_REDIS_URL when set, else a redis-server of its own
  client = createClient({ connection: redis.url });
});
afterAll(async () => {
  await client.close();
  await redis.stop();
});

/** The app's worker, with a Twitter that always answers; drain() starts it. */
function testWorker() {
  const social = new SocialJobs(new TwitterClient({ failureRate: 0 }));
  return createWorker({ connection: redis.url, jobs: { social }, autostart: false });
}

it("enqueues the tweet, and a worker posts it", async () => {
  await client.enqueueTweet({ content: "We are live!" }); // what the code under test does
  await expectEnqueued(client, "tweet", { content: "We are live!" });
  const worker = testWorker();
  expect(await drain(worker)).toEqual({ completed: 1, failed: 0, dead: 0 });
  await worker.close();
});

it("deletes the tweet an hour later", async () => {
  await client.enqueueDeleteTweet({ tweetId: "1234" }, { delayMs: 3_600_000 });
  const worker = testWorker();
  const clock = new TestClock(client);
  expect(await drain(worker, { clock })).toEqual({ completed: 0, failed: 0, dead: 0 });
  await clock.advance(3_600_000);
  expect(await drain(worker, { clock })).toEqual({ completed: 1, failed: 0, dead: 0 });
  await worker.close();
});
