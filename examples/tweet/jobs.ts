import { Queue, Job, PermanentError, type JobContext } from "@taskq/runtime";
import { TwitterClient } from "./twitter.js";

/** A post for the social account. */
export type Tweet = {
  /**
   * @minLength 1
   * @maxLength 280
   */
  content: string;
  /** @maxItems 4 */
  mediaIds?: string[];
};

export type Posted = { tweetId: string };

@Queue("social", { concurrency: 10 })
export class SocialJobs {
  constructor(private readonly twitter: TwitterClient = new TwitterClient()) {}

  @Job({
    priority: "high",
    attempts: 3,
    // Short for the demo, so `npm run example` shows retries in seconds; minutes suit a real API.
    backoff: { type: "exponential", delayMs: 500 },
    rateLimit: { perDay: 2400, perHour: 100, minIntervalMs: 1_000 },
    timeoutMs: 30_000,
  })
  async tweet(payload: Tweet, ctx: JobContext): Promise<Posted> {
    return { tweetId: await this.twitter.post(payload, { signal: ctx.signal }) };
  }

  @Job({ priority: "low" })
  async deleteTweet(payload: {
    /** The id `tweet` returned. */
    tweetId: string;
  }): Promise<void> {
    if (payload.tweetId.length === 0) throw new PermanentError("deleteTweet: empty tweet id");
    await this.twitter.delete(payload.tweetId);
  }
}
