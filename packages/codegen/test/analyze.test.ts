import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";
import { EXAMPLE, removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

const HEADER = `import { Queue, Job, type JobContext } from "@taskq/runtime";\n`;

/** Analyzes a one-queue jobs.ts whose single job takes `payload: <payloadType>`. */
function analyzePayload(declarations: string, payloadType: string) {
  const entry = writeJobs(`${HEADER}${declarations}
@Queue("q")
export class Jobs {
  @Job()
  async run(payload: ${payloadType}): Promise<void> {}
}
`);
  return analyze(entry);
}

describe("analyze: the tweet example", () => {
  const { manifest, diagnostics } = analyze(path.join(EXAMPLE, "jobs.ts"), { outDir: path.join(EXAMPLE, "generated") });

  it("reports no diagnostics", () => {
    expect(diagnostics).toEqual([]);
  });

  it("records the queue with its options and constructor", () => {
    expect(manifest.manifestVersion).toBe(1);
    expect(manifest.source).toBe("../jobs.ts");
    expect(manifest.queues).toHaveLength(1);
    const { jobs, ...queue } = manifest.queues[0];
    expect(queue).toEqual({ name: "social", className: "SocialJobs", prefix: "taskq", concurrency: 10, constructibleWithoutArgs: true });
    expect(jobs.map((job) => job.name)).toEqual(["tweet", "deleteTweet"]);
  });

  it("reads the job options and fills in every default", () => {
    const [tweet, deleteTweet] = manifest.queues[0].jobs;
    expect(tweet).toEqual({
      name: "tweet",
      method: "tweet",
      usesContext: true,
      options: {
        priority: "high",
        attempts: 3,
        backoff: { type: "exponential", delayMs: 500 },
        timeoutMs: 30_000,
        keepResultMs: 86_400_000,
        version: 1,
        rateLimit: { perHour: 100, perDay: 2400, minIntervalMs: 1000 },
      },
      payload: { kind: "ref", name: "Tweet" },
      result: { kind: "ref", name: "Posted" },
    });
    expect(deleteTweet.options).toEqual({
      priority: "low",
      attempts: 3,
      backoff: { type: "exponential", delayMs: 60_000 },
      keepResultMs: 86_400_000,
      version: 1,
    });
    expect(deleteTweet.usesContext).toBe(false);
    expect(deleteTweet.result).toEqual({ kind: "void" });
  });

  it("maps the payload types with their constraints and docs", () => {
    expect(Object.keys(manifest.types)).toEqual(["Tweet", "Posted", "DeleteTweetPayload"]);
    expect(manifest.types.Tweet).toEqual({
      doc: "A post for the social account.",
      type: {
        kind: "object",
        properties: [
          { name: "content", optional: false, type: { kind: "string", minLength: 1, maxLength: 280 } },
          { name: "mediaIds", optional: true, type: { kind: "array", items: { kind: "string" }, maxItems: 4 } },
        ],
      },
    });
    expect(manifest.types.DeleteTweetPayload.type).toEqual({
      kind: "object",
      properties: [{ name: "tweetId", optional: false, doc: "The id `tweet` returned.", type: { kind: "string" } }],
    });
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
  });
});

describe("analyze: types", () => {
  it("maps literals, literal unions, nullable types, integers and nested named types", () => {
    const { manifest, diagnostics } = analyzePayload(
      `/** @format email */
type Email = string;
interface Address { city: string; zip?: string | null }
type Order = {
  /** @integer
   * @minimum 1 */
  count: number;
  status: "new" | "paid";
  flag: boolean;
  to: Email;
  addresses: Array<Address>;
  home: Address;
  /** @uniqueItems */
  tags: readonly string[];
  /** @default -1.5 */
  score?: number;
  nothing: null;
};`,
      "Order",
    );
    expect(diagnostics).toEqual([]);
    expect(Object.keys(manifest.types)).toEqual(["Email", "Address", "Order"]);
    expect(manifest.types.Email.type).toEqual({ kind: "string", format: "email" });
    expect(manifest.types.Address.type).toEqual({
      kind: "object",
      properties: [
        { name: "city", optional: false, type: { kind: "string" } },
        { name: "zip", optional: true, type: { kind: "union", members: [{ kind: "string" }, { kind: "null" }] } },
      ],
    });
    const order = manifest.types.Order.type;
    expect(order.kind === "object" && order.properties.map((p) => p.type)).toEqual([
      { kind: "integer", minimum: 1 },
      {
        kind: "union",
        members: [
          { kind: "literal", value: "new" },
          { kind: "literal", value: "paid" },
        ],
      },
      { kind: "boolean" },
      { kind: "ref", name: "Email" },
      { kind: "array", items: { kind: "ref", name: "Address" } },
      { kind: "ref", name: "Address" },
      { kind: "array", items: { kind: "string" }, readonly: true, uniqueItems: true },
      { kind: "number", default: -1.5 },
      { kind: "null" },
    ]);
  });

  it("names an inline payload after its job", () => {
    const { manifest } = analyzePayload("", "{ id: string }");
    expect(manifest.queues[0].jobs[0].payload).toEqual({ kind: "ref", name: "RunPayload" });
    expect(Object.keys(manifest.types)).toEqual(["RunPayload"]);
  });

  it("reads types imported from a relative module", () => {
    const entry = writeJobs(
      `${HEADER}import type { Mail } from "./mail.js";
@Queue("q")
export class Jobs {
  @Job()
  async send(payload: Mail): Promise<void> {}
}
`,
      { "mail.ts": "export interface Mail {\n  /** @maxLength 5 */\n  to: string;\n}\n" },
    );
    const { manifest, diagnostics } = analyze(entry);
    expect(diagnostics).toEqual([]);
    expect(manifest.types.Mail.type).toEqual({
      kind: "object",
      properties: [{ name: "to", optional: false, type: { kind: "string", maxLength: 5 } }],
    });
  });
});
