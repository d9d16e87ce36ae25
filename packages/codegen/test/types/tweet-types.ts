/**
 * Type-level specification of the generated tweet client, checked by `typecheck.test.ts`: each
 * `@ts-expect-error` line must fail to compile (an unused one is itself an error), the rest must pass.
 */
import {
  createClient,
  createWorker,
  enqueueTweet,
  enqueueTweetBulk,
  isTweet,
  type PayloadOf,
  type ResultOf,
} from "../../../../examples/tweet/generated/index.js";
import { SocialJobs } from "../../../../examples/tweet/jobs.js";

export async function wrongPayloadsDoNotCompile(): Promise<void> {
  // @ts-expect-error content must be a string
  await enqueueTweet({ content: 1 });
  // @ts-expect-error content is required
  await enqueueTweet({});
  // @ts-expect-error unknown job name
  createClient().job("tweeet", "id");
  // @ts-expect-error bulk items are payloads or { payload, options }
  await enqueueTweetBulk([{ payload: { content: 2 } }]);
}

export async function typedResults(): Promise<string> {
  const handle = await enqueueTweet({ content: "hello", mediaIds: ["m1"] });
  const id: string = (await handle.result()).tweetId;
  const viaClient = createClient().job("tweet", handle.id);
  const again: string = (await viaClient.result()).tweetId;
  return id + again;
}

export function typedHelpers(value: unknown): void {
  const payload: PayloadOf<"deleteTweet"> = { tweetId: "1" };
  const nothing: ResultOf<"deleteTweet"> = undefined;
  if (isTweet(value)) {
    const content: string = value.content;
    void content;
  }
  void payload;
  void nothing;
}

export function workerNeedsOnlyWhatCannotBeDefaulted(): void {
  createWorker({});
  createWorker({ jobs: { social: new SocialJobs() }, queues: ["social"] });
  // @ts-expect-error no such queue
  createWorker({ queues: ["mail"] });
}
