import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyze, renderDiagnostic } from "../src/index.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

function messagesOf(source: string): string[] {
  const entry = writeJobs(`import { Queue, Job, type JobContext } from "@taskq/runtime";\n${source}`);
  return analyze(entry).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

function jobWith(payloadType: string, declarations = ""): string[] {
  return messagesOf(`${declarations}
@Queue("q")
export class Jobs {
  @Job()
  async run(payload: ${payloadType}): Promise<void> {}
}
`);
}

describe("diagnostics", () => {
  it("suggests the tag a misspelt one was meant to be", () => {
    expect(jobWith("T", "type T = {\n  /** @maxLenght 3 */\n  a: string;\n};")).toEqual(["3:7 unknown tag @maxLenght: did you mean @maxLength?"]);
  });

  it("refuses a tag on a type it cannot constrain", () => {
    expect(jobWith("T", "type T = {\n  /** @maxLength 3 */\n  n: number;\n  /** @minimum 1 */\n  s: string;\n};")).toEqual([
      "3:7 @maxLength applies to strings, but property n is a number",
      "5:7 @minimum applies to numbers, but property s is a string",
    ]);
  });

  it("refuses malformed tag values", () => {
    expect(jobWith("T", "type T = {\n  /** @maxLength many */\n  a: string;\n  /** @format emial */\n  b: string;\n};")).toEqual([
      '3:7 @maxLength needs a number, not "many"',
      '5:7 @format cannot be "emial": did you mean "email"?',
    ]);
  });

  it("refuses what is not JSON data, each with its own message", () => {
    const messages = jobWith(
      "{ a: any; b: unknown; c: bigint; d: symbol; e: () => void; f: JSON; g: Klass; h: Map<string, string>; i: string | undefined }",
      "class Klass {}",
    );
    expect(messages).toEqual([
      "6:27 `any` is not allowed in a payload or result",
      "6:35 `unknown` is not allowed in a payload or result",
      "6:47 bigint is not JSON",
      "6:58 symbols cannot be stored in a job",
      "6:69 functions cannot be stored in a job",
      "6:84 JSON is not supported in a payload or result",
      "6:93 class instances cannot be stored in a job: Klass",
      "6:103 Map is not supported in a payload or result",
      "6:136 `undefined` is not JSON",
    ]);
  });

  it("refuses an unresolved generic", () => {
    expect(
      messagesOf(`@Queue("q")
export class Jobs {
  @Job()
  async run<T>(payload: T): Promise<void> {}
}
`),
    ).toEqual(["5:25 unresolved generic type T"]);
  });

  it("refuses non-literal decorator arguments and still checks the rest", () => {
    expect(
      messagesOf(`const N = 5;
@Queue(\`q\${N}\`, { concurrency: N })
export class Jobs {
  @Job({ attempts: N, priority: "hihg", retries: 2 })
  async run(payload: string): Promise<void> {}
}
`),
    ).toEqual([
      "3:8 decorator argument must be a literal, not ``q${N}``",
      "3:32 decorator argument must be a literal, not `N`",
      "5:20 decorator argument must be a literal, not `N`",
      '5:33 priority cannot be "hihg": did you mean "high"?',
      "5:41 unknown option `retries` in @Job options",
    ]);
  });

  it("refuses duplicate job names, bad names and a missing payload", () => {
    expect(
      messagesOf(`@Queue("q")
export class A {
  @Job() async send(p: string): Promise<void> {}
  @Job({ name: "send" }) async other(p: string): Promise<void> {}
  @Job({ name: "a b" }) async third(p: string): Promise<void> {}
  @Job() async none(): Promise<void> {}
}
`),
    ).toEqual(['5:32 job name "send" is used twice', '6:16 job name "a b" must match ^[A-Za-z0-9._-]{1,64}$', "7:16 job none needs a payload parameter"]);
  });

  it("renders file:line:col, the message, the hint and a code frame", () => {
    const entry = writeJobs("export type T = {\n  /** @maxLenght 3 */\n  a: string;\n};\n");
    const text = renderDiagnostic({ file: entry, line: 2, column: 7, message: "unknown tag @maxLenght: did you mean @maxLength?", hint: "fix it" });
    expect(text).toBe(`${entry}:2:7: error: unknown tag @maxLenght: did you mean @maxLength?\n  hint: fix it\n  2 |   /** @maxLenght 3 */\n    |       ^`);
    expect(path.isAbsolute(entry)).toBe(true);
  });
});
