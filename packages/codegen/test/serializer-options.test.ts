/**
 * `@Queue` options `serializer` and `compressAboveBytes`: checked at codegen, carried through the
 * manifest onto every job definition of the queue, and absent from the output of queues without them.
 */
import { afterAll, describe, expect, it } from "vitest";
import { analyze, emit } from "../src/index.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

const HEADER = 'import { Queue, Job } from "@taskq/runtime";\nexport type T = { a: string };\n';
const queue = (options: string) => `${HEADER}@Queue("q"${options})\nexport class Q {\n  @Job() async run(p: T): Promise<void> {}\n}\n`;

function diagnosticsOf(source: string): string[] {
  return analyze(writeJobs(source)).diagnostics.map((d) => `${d.line}:${d.column} ${d.message} — ${d.hint}`);
}

describe("serializer and compressAboveBytes", () => {
  it("refuses an unknown serializer, with a suggestion", () => {
    expect(diagnosticsOf(queue(', { serializer: "msgpak" }'))).toEqual([
      '3:27 serializer cannot be "msgpak": did you mean "msgpack"? — one of "json", "msgpack"',
    ]);
    expect(diagnosticsOf(queue(", { serializer: 2 }"))).toEqual(['3:27 serializer cannot be 2 — one of "json", "msgpack"']);
  });

  it("refuses a compressAboveBytes that is not a positive whole number", () => {
    expect(diagnosticsOf(queue(", { compressAboveBytes: 0 }"))).toEqual(["3:35 compressAboveBytes must be at least 1, not 0 — use 1 or more"]);
    expect(diagnosticsOf(queue(", { compressAboveBytes: 1.5 }"))).toEqual(["3:35 compressAboveBytes must be a whole number, not 1.5 — use 2"]);
    expect(diagnosticsOf(queue(', { compressAboveBytes: "4kb" }'))).toEqual([
      "3:35 compressAboveBytes must be a number — write a number literal, e.g. compressAboveBytes: 3",
    ]);
  });

  it("suggests the option for a misspelt name", () => {
    expect(diagnosticsOf(queue(", { compresAboveBytes: 10 }"))[0]).toMatch(/^3:15 unknown option `compresAboveBytes` in @Queue options.*compressAboveBytes/);
  });

  it("puts both in the manifest and on the queue's one declaration, not on its jobs", () => {
    const source = `${HEADER}@Queue("packed", { serializer: "msgpack", compressAboveBytes: 2048 })\nexport class Packed {\n  @Job() async one(p: T): Promise<void> {}\n}\n@Queue("plain")\nexport class Plain {\n  @Job() async two(p: T): Promise<void> {}\n}\n`;
    const { manifest, diagnostics } = analyze(writeJobs(source));
    expect(diagnostics).toEqual([]);
    expect(manifest.queues[0]).toMatchObject({ name: "packed", serializer: "msgpack", compressAboveBytes: 2048 });
    expect(manifest.queues[1]).not.toHaveProperty("serializer");
    expect(manifest.queues[1]).not.toHaveProperty("compressAboveBytes");
    const client = emit(manifest).find((file) => file.path === "client.ts")!.contents;
    const one = client.slice(client.indexOf("  one: defineJob"), client.indexOf("  two: defineJob"));
    const two = client.slice(client.indexOf("  two: defineJob"), client.indexOf("};"));
    expect(client).toContain('  packed: defineQueue({ prefix: "taskq", name: "packed", serializer: "msgpack", compressAboveBytes: 2048 }),');
    expect(client).toContain('  plain: defineQueue({ prefix: "taskq", name: "plain" }),');
    // Each job points at its queue; no copy of the queue's storage options.
    expect(one).toContain("    queue: queues.packed,");
    expect(one).not.toMatch(/serializer|compressAboveBytes/);
    expect(two).not.toMatch(/serializer|compressAboveBytes/);
  });
});
