// Unit tests of the tweet handler: perform() runs it as a worker would, through the codec, without Redis.
import { describe, expect, it } from "vitest";
import { PermanentError, ValidationError, type JobContext } from "@taskq/runtime";
import { perform } from "@taskq/runtime/testing";
import { definitions, type Tweet } from "./generated/index.js";
import { SocialJobs } from "./jobs.js";
import { TwitterClient } from "./twitter.js";

describe("the tweet job", () => {
  const social = new SocialJobs(new TwitterClient({ failureRate: 0 }));

  it("posts the tweet and returns its id", async () => {
    const run = await perform(definitions.tweet, { content: "We are live!" }, { handler: (p, ctx) => social.tweet(p, ctx) });
    expect(run).toMatchObject({ outcome: "completed", result: { tweetId: expect.any(String) } });
  });

  it("dead-letters a tweet Twitter refuses as spam, without retrying", async () => {
    const run = await perform(definitions.tweet, { content: "spam spam spam" }, { handler: (p, ctx) => social.tweet(p, ctx) });
    expect(run.outcome).toBe("dead");
    if (run.outcome !== "completed") expect(run.error).toBeInstanceOf(PermanentError);
  });

  it("retries with its backoff while Twitter is down, and gives up after the last attempt", async () => {
    const down = new SocialJobs(new TwitterClient({ failureRate: 1 }));
    const handler = (p: Tweet, ctx: JobContext) => down.tweet(p, ctx);
    expect(await perform(definitions.tweet, { content: "Hi" }, { handler, attempt: 1 })).toMatchObject({ outcome: "retry", delayMs: 500 });
    expect(await perform(definitions.tweet, { content: "Hi" }, { handler, attempt: 2 })).toMatchObject({ outcome: "retry", delayMs: 1_000 });
    expect(await perform(definitions.tweet, { content: "Hi" }, { handler, attempt: 3 })).toMatchObject({ outcome: "dead" });
  });

  it("refuses a tweet over 280 characters before it runs, as enqueueTweet does", async () => {
    const tooLong = perform(definitions.tweet, { content: "x".repeat(281) }, { handler: (p, ctx) => social.tweet(p, ctx) });
    await expect(tooLong).rejects.toBeInstanceOf(ValidationError);
  });
});
