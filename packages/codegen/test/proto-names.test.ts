/**
 * A job or payload property named `__proto__` (a valid name) is a key of its own in the generated
 * code, never the prototype of `definitions`, of the worker's registrations or of a schema's
 * properties (issue 17).
 */
import { afterAll, describe, expect, it } from "vitest";
import { analyze, emit } from "../src/index.js";
import { keyCode } from "../src/emit/code-literal.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

const SOURCE = `import { Queue, Job } from "@taskq/runtime";
export type Odd = { a: string };
@Queue("odd")
export class OddJobs {
  @Job({ name: "__proto__" }) async proto(p: Odd): Promise<void> {}
  @Job({ name: "constructor" }) async ctor(p: Odd): Promise<void> {}
}
`;

describe("names that are Object.prototype's", () => {
  it("emits __proto__ as a computed key, which an object literal keeps as its own", () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating the emitted key is the test
    const literal = (key: string) => new Function(`return { ${keyCode(key)}: 1 };`)() as object;
    for (const key of ["__proto__", "constructor", "tweet", "send.email"]) {
      expect(Object.hasOwn(literal(key), key), key).toBe(true);
      expect(Object.getPrototypeOf(literal(key))).toBe(Object.prototype);
    }
  });

  it("keeps jobs named __proto__ and constructor in the generated definitions and registrations", () => {
    const { manifest, diagnostics } = analyze(writeJobs(SOURCE));
    expect(diagnostics).toEqual([]);
    const files = Object.fromEntries(emit(manifest).map((file) => [file.path, file.contents]));
    expect(files["client.ts"]).toContain('  ["__proto__"]: defineJob<Odd, void>({');
    expect(files["client.ts"]).toContain("  constructor: defineJob<Odd, void>({");
    expect(files["worker.ts"]).toMatch(/\n\s+\["__proto__"\]: \{\n\s+definition: definitions\.__proto__,/);
    expect(files["client.ts"]).not.toMatch(/^\s+"?__proto__"?:/m);
  });
});
