/**
 * A stand-in for a Twitter API client: returns made-up tweet ids and fails now and then, so the
 * example shows retries and dead-lettering without a network. Tests force outcomes with the options.
 */
import { randomUUID } from "node:crypto";
import { PermanentError } from "@taskq/runtime";

export interface TwitterClientOptions {
  /** Chance that a call fails with a plain (retried) Error, 0..1. (Default: 0.3) */
  failureRate?: number;
  /** Fail exactly the first `failTimes` calls, then succeed; overrides `failureRate`. (Default: none) */
  failTimes?: number;
  /** Fail every call with a `PermanentError`, which goes to the dead-letter queue at once. (Default: false) */
  permanent?: boolean;
}

export interface PostOptions {
  signal?: AbortSignal;
}

export class TwitterClient {
  private calls = 0;

  constructor(private readonly options: TwitterClientOptions = {}) {}

  /** Posts a tweet and returns its id. */
  async post(tweet: { content: string; mediaIds?: string[] }, options: PostOptions = {}): Promise<string> {
    if (/\bspam\b/i.test(tweet.content)) throw new PermanentError("twitter: 403 Forbidden, tweet refused as spam");
    this.maybeFail("post", options.signal);
    return randomUUID().replace(/-/g, "").slice(0, 19);
  }

  /** Deletes a tweet by id. */
  async delete(tweetId: string, options: PostOptions = {}): Promise<void> {
    this.maybeFail("delete", options.signal);
    void tweetId;
  }

  private maybeFail(action: string, signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    this.calls += 1;
    const { failureRate = 0.3, failTimes, permanent = false } = this.options;
    if (permanent) throw new PermanentError(`twitter: ${action} refused (account suspended)`);
    const fails = failTimes === undefined ? Math.random() < failureRate : this.calls <= failTimes;
    if (fails) throw new Error(`twitter: ${action} failed (503 Service Unavailable)`);
  }
}
