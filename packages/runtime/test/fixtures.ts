/** Hand-written job definitions, the way generated code declares them, for runtime tests without codegen. */
import { Type } from "typebox";
import { createCodec, defineJob, type Handler, type JobDefinition, type QueueRegistration } from "../src/index.js";

export type Tweet = { content: string; mediaIds?: string[] };
export type Posted = { tweetId: string };

export const TweetSchema = Type.Object({
  content: Type.String({ minLength: 1, maxLength: 280 }),
  mediaIds: Type.Optional(Type.Array(Type.String(), { maxItems: 4 })),
});
export const PostedSchema = Type.Object({ tweetId: Type.String() });

export function tweetJob(prefix: string, overrides: Partial<JobDefinition<Tweet, Posted>> = {}): JobDefinition<Tweet, Posted> {
  return defineJob<Tweet, Posted>({
    name: "tweet",
    queue: "social",
    prefix,
    priority: "normal",
    attempts: 3,
    backoff: { type: "fixed", delayMs: 30 },
    keepResultMs: 60_000,
    version: 1,
    payload: createCodec<Tweet>(TweetSchema),
    result: createCodec<Posted>(PostedSchema),
    ...overrides,
  });
}

export function registration(definition: JobDefinition<any, any>, handler: Handler, concurrency = 1): QueueRegistration {
  return {
    name: definition.queue,
    prefix: definition.prefix,
    concurrency,
    jobs: { [definition.name]: { definition, handler } },
  };
}

let counter = 0;
/** A key prefix of its own for each test, so tests sharing one Redis never see each other's jobs. */
export function uniquePrefix(): string {
  return `t${process.pid}x${++counter}`;
}
