/**
 * `@Job({ version: n })`: the generator finds the upgrade chain `upgradeXV1` … `upgradeXV{n-1}` in
 * jobs.ts, reports a missing link where the version is written, emits codecs for the old payload
 * types, and wires the chain into worker.ts (never client.ts). On real Redis, the generated worker
 * decodes and upgrades a version 1 job written before it started.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Client } from "@taskq/runtime";
import { defineJob } from "@taskq/runtime/internal";
import { analyze, generate } from "../src/index.js";
import { startRedis } from "../../../test/support/redis-server.js";
import { removeScratch, writeJobs } from "./helpers.js";
import { TweetV1Codec, type TweetV1 } from "./fixtures/versioned/generated/codecs.js";
import { definitions } from "./fixtures/versioned/generated/client.js";
import { createWorker } from "./fixtures/versioned/generated/worker.js";

afterAll(removeScratch);

const FIXTURE = path.join(import.meta.dirname, "fixtures/versioned");

const jobsTs = (version: number, functions: string) => `import { Queue, Job } from "@taskq/runtime";
export type TweetV1 = { text: string };
export type Tweet = { content: string };
${functions}
@Queue("social")
export class SocialJobs {
  @Job({ attempts: 2, version: ${version} })
  async tweet(payload: Tweet): Promise<void> {}
}
`;

describe("versioned jobs", () => {
  it("reads the upgrade chain, oldest first, and keeps the generated fixture fresh", () => {
    const { manifest, diagnostics } = analyze(path.join(FIXTURE, "jobs.ts"));
    expect(diagnostics).toEqual([]);
    expect(manifest.queues[0].jobs[0].upgrades).toEqual([
      { fromVersion: 1, function: "upgradeTweetV1", payload: { kind: "ref", name: "TweetV1" } },
      { fromVersion: 2, function: "upgradeTweetV2", payload: { kind: "ref", name: "TweetV2" } },
    ]);
    expect(Object.keys(manifest.types)).toEqual(expect.arrayContaining(["TweetV1", "TweetV2", "Tweet"]));
    expect(generate({ entry: path.join(FIXTURE, "jobs.ts"), out: path.join(FIXTURE, "generated"), check: true }).stale).toEqual([]);
  });

  it("reports a missing link at `version`, with the function to write", () => {
    const { diagnostics } = analyze(
      writeJobs(jobsTs(3, "export function upgradeTweetV1(p: TweetV1): TweetV2 { return { content: p.text }; }\nexport type TweetV2 = Tweet;")),
    );
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "8:23 job tweet is at version 3, but jobs.ts exports no upgradeTweetV2 (version 2 → 3)",
    ]);
    expect(diagnostics[0].hint).toBe("export function upgradeTweetV2(payload: TweetV2): Tweet from jobs.ts, beside the job");
  });

  it("reports an upgrade that is not exported, and one that upgrades no job", () => {
    const source = jobsTs(2, "function upgradeTweetV1(p: TweetV1): Tweet { return { content: p.text }; }");
    expect(analyze(writeJobs(source)).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "4:10 upgradeTweetV1 must be a named export: the generated worker imports it",
    ]);
    const stray = jobsTs(1, "export function upgradeTweetV1(p: TweetV1): Tweet { return { content: p.text }; }");
    expect(analyze(writeJobs(stray)).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "4:17 upgradeTweetV1 upgrades no job: no job named like Tweet is past version 1",
    ]);
  });

  it("upgrades a version 1 job already in Redis through the generated worker, and runs a version 1 producer's jobs", async () => {
    const redis = await startRedis();
    const client = new Client({ connection: redis.url });
    // A producer still on version 1: its definition as the old generated client.ts declared it.
    const tweetV1 = defineJob<TweetV1, { posted: string }>({ ...definitions.tweet, version: 1, payload: TweetV1Codec });
    try {
      const before = await client.enqueue(tweetV1, { text: "stored before the deploy" });
      const worker = createWorker({ connection: redis.url });
      const during = await client.enqueue(tweetV1, { text: "from an old producer" });
      const current = await client.enqueue(definitions.tweet, { content: "current", lang: "fr" });
      expect(await before.result({ timeoutMs: 5_000 })).toEqual({ posted: "en:stored before the deploy" });
      expect(await during.result({ timeoutMs: 5_000 })).toEqual({ posted: "en:from an old producer" });
      expect(await current.result({ timeoutMs: 5_000 })).toEqual({ posted: "fr:current" });
      await worker.close();
    } finally {
      await client.close();
      await redis.stop();
    }
  });
});
