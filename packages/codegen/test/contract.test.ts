/**
 * The jobs.ts contract is defined once, in `@taskq/runtime/contract`: the code generator reads jobs.ts
 * against the same priorities, backoff kinds, serializers, defaults and bounds the runtime applies.
 */
import {
  BACKOFF_TYPES,
  DEFAULT_CONCURRENCY,
  DEFAULT_JOB_OPTIONS,
  MAX_ATTEMPTS,
  MAX_TIMEOUT_MS,
  PRIORITIES,
  RATE_LIMIT_KEYS,
  SERIALIZERS,
  type Assert,
  type ListsEvery,
} from "@taskq/runtime/contract";
import { afterAll, describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

function analyzed(source: string) {
  return analyze(writeJobs(`import { Queue, Job } from "@taskq/runtime";\n${source}`));
}

const messages = (source: string) => analyzed(source).diagnostics.map((d) => d.message);

describe("the jobs.ts contract, shared with the runtime", () => {
  it("fills in the runtime's defaults for a job and a queue that set none", () => {
    const { manifest, diagnostics } = analyzed(`@Queue("q")\nexport class Jobs {\n  @Job() async run(p: string): Promise<void> {}\n}\n`);
    expect(diagnostics).toEqual([]);
    expect(manifest.queues[0].concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(manifest.queues[0].jobs[0].options).toEqual(DEFAULT_JOB_OPTIONS);
  });

  it("accepts every priority, backoff kind and serializer the runtime knows, and nothing else", () => {
    const jobs = PRIORITIES.map((priority, i) => `  @Job({ priority: "${priority}" }) async p${i}(p: string): Promise<void> {}`);
    const backoffs = BACKOFF_TYPES.map((type, i) =>
      type === "custom"
        ? `  @Job({ backoff: { type: "custom", name: "later" } }) async b${i}(p: string): Promise<void> {}`
        : `  @Job({ backoff: { type: "${type}", delayMs: 5 } }) async b${i}(p: string): Promise<void> {}`,
    );
    const queues = SERIALIZERS.map(
      (serializer) =>
        `@Queue("q-${serializer}", { serializer: "${serializer}" })\nexport class Q${serializer} {\n  @Job() async run_${serializer}(p: string): Promise<void> {}\n}\n`,
    );
    const { manifest, diagnostics } = analyzed(
      `export function later(attempt: number, error: unknown): number { return attempt; }\n@Queue("q")\nexport class Jobs {\n${[...jobs, ...backoffs].join("\n")}\n}\n${queues.join("")}`,
    );
    expect(diagnostics.map((d) => d.message)).toEqual([]);
    const options = manifest.queues[0].jobs.map((job) => job.options);
    expect(options.slice(0, PRIORITIES.length).map((o) => o.priority)).toEqual([...PRIORITIES]);
    expect(options.slice(PRIORITIES.length).map((o) => o.backoff.type)).toEqual([...BACKOFF_TYPES]);
    expect(manifest.queues.slice(1).map((queue) => queue.serializer)).toEqual([...SERIALIZERS]);
    expect(messages(`@Queue("q")\nexport class Jobs {\n  @Job({ priority: "urgent" }) async run(p: string): Promise<void> {}\n}\n`)).toEqual([
      'priority cannot be "urgent"',
    ]);
  });

  it("takes every rate-limit key the runtime counts", () => {
    const limit = RATE_LIMIT_KEYS.map((key) => (key === "groupBy" ? `${key}: "id"` : `${key}: 2`)).join(", ");
    const { manifest, diagnostics } = analyzed(
      `@Queue("q")\nexport class Jobs {\n  @Job({ rateLimit: { ${limit} } }) async run(p: { id: string }): Promise<void> {}\n}\n`,
    );
    expect(diagnostics.map((d) => d.message)).toEqual([]);
    expect(Object.keys(manifest.queues[0].jobs[0].options.rateLimit!)).toEqual([...RATE_LIMIT_KEYS]);
  });

  it("refuses attempts and timeoutMs beyond the runtime's bounds when generating, not when the worker starts", () => {
    expect(
      messages(
        `@Queue("q")\nexport class Jobs {\n  @Job({ attempts: ${MAX_ATTEMPTS + 1}, timeoutMs: ${MAX_TIMEOUT_MS + 1} }) async run(p: string): Promise<void> {}\n}\n`,
      ),
    ).toEqual([`attempts must be at most ${MAX_ATTEMPTS}, not ${MAX_ATTEMPTS + 1}`, `timeoutMs must be at most ${MAX_TIMEOUT_MS}, not ${MAX_TIMEOUT_MS + 1}`]);
    const { diagnostics } = analyzed(
      `@Queue("q")\nexport class Jobs {\n  @Job({ attempts: ${MAX_ATTEMPTS}, timeoutMs: ${MAX_TIMEOUT_MS} }) async run(p: string): Promise<void> {}\n}\n`,
    );
    expect(diagnostics).toEqual([]);
  });
});

// The compile-time tie the contract's const arrays use (checked by `npm run typecheck`): an array that
// leaves out a member of its union does not compile.
type _Complete = Assert<ListsEvery<"a" | "b", readonly ["b", "a"]>>;
// @ts-expect-error "b" is missing
type _Missing = Assert<ListsEvery<"a" | "b", readonly ["a"]>>;
// @ts-expect-error "c" is not a member
type _Extra = Assert<ListsEvery<"a" | "b", readonly ["a", "b", "c"]>>;
