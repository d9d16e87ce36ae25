/** `@Queue(name, { shards })`: read into the manifest, carried onto each generated job definition, misuse diagnosed. */
import { afterAll, describe, expect, it } from "vitest";
import { analyze, emit } from "../src/index.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

const HEADER = 'import { Queue, Job } from "@taskq/runtime";\nexport type T = { a: string };\n';
const queue = (options: string, job = "@Job()") => `${HEADER}@Queue("hot"${options})\nexport class Hot {\n  ${job} async run(p: T): Promise<void> {}\n}\n`;

function diagnosticsOf(source: string): string[] {
  return analyze(writeJobs(source)).diagnostics.map((d) => `${d.line}:${d.column} ${d.message} — ${d.hint}`);
}

function clientOf(source: string): string {
  const { manifest, diagnostics } = analyze(writeJobs(source));
  expect(diagnostics).toEqual([]);
  return emit(manifest).find((file) => file.path === "client.ts")!.contents;
}

describe("the shards queue option", () => {
  it("reads shards into the manifest and onto the queue's one declaration", () => {
    const { manifest } = analyze(writeJobs(queue(", { shards: 3, concurrency: 8 }")));
    expect(manifest.queues[0]).toMatchObject({ name: "hot", shards: 3, concurrency: 8 });
    expect(clientOf(queue(", { shards: 3 }"))).toContain('  hot: defineQueue({ prefix: "taskq", name: "hot", shards: 3 }),');
  });

  it("leaves the generated code as it was without shards, or with shards: 1", () => {
    const plain = clientOf(queue(""));
    expect(plain).not.toMatch(/shards:/);
    expect(clientOf(queue(", { shards: 1 }"))).toBe(plain);
  });

  it("refuses a count that is not a whole number from 1 to 64", () => {
    expect(diagnosticsOf(queue(", { shards: 0 }"))).toEqual(["3:25 shards must be at least 1, not 0 — use 1 or more"]);
    expect(diagnosticsOf(queue(", { shards: 2.5 }"))).toEqual(["3:25 shards must be a whole number, not 2.5 — use 3"]);
    expect(diagnosticsOf(queue(", { shards: 100 }"))).toEqual([
      "3:25 shards must be at most 64, not 100 — use 64 or fewer; a shard per Redis Cluster master is plenty",
    ]);
    expect(diagnosticsOf(queue(', { shards: "3" }'))).toEqual(["3:25 shards must be a number — write a number literal, e.g. shards: 3"]);
  });

  it("refuses a rate-limited job on a sharded queue, where each shard would count on its own", () => {
    expect(diagnosticsOf(queue(", { shards: 3 }", "@Job({ rateLimit: { perSecond: 10 } })"))).toEqual([
      "3:17 job run has a rateLimit, which a sharded queue cannot keep: each shard would count on its own — move run to a queue without shards, or remove its rateLimit",
    ]);
  });
});
