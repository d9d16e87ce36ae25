/**
 * One case per kind of codegen error: where it is reported (line:col), what it says, and the fix it
 * suggests. Every diagnostic carries a fix, and the rendered form has a code frame pointing at it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { analyze, renderDiagnostic } from "../src/index.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

const IMPORTS = `import { Queue, Job, type JobContext } from "@taskq/runtime";\n`;

/** A jobs.ts with `declarations` (from line 2) and one job taking `payload: <payloadType>`. */
function withPayload(payloadType: string, declarations = ""): string {
  return `${declarations}
@Queue("q")
export class Jobs {
  @Job()
  async run(payload: ${payloadType}): Promise<void> {}
}
`;
}

interface Case {
  kind: string;
  source: string;
  /** `line:col message` of the one diagnostic. */
  error: string;
  hint: RegExp;
}

/** The line of the job method when the declarations take one line. */
const PAYLOAD_LINE = 6;

const CASES: Case[] = [
  { kind: "a function", source: withPayload("{ f: () => void }"), error: `${PAYLOAD_LINE}:27 functions cannot be stored in a job`, hint: /pass data/ },
  {
    kind: "a class instance",
    source: withPayload("K", "class K {}"),
    error: `${PAYLOAD_LINE}:22 class instances cannot be stored in a job: K`,
    hint: /type or interface instead of the class K/,
  },
  { kind: "any", source: withPayload("any"), error: `${PAYLOAD_LINE}:22 \`any\` is not allowed in a payload or result`, hint: /describe the data/ },
  { kind: "unknown", source: withPayload("unknown"), error: `${PAYLOAD_LINE}:22 \`unknown\` is not allowed in a payload or result`, hint: /describe the data/ },
  { kind: "bigint", source: withPayload("bigint"), error: `${PAYLOAD_LINE}:22 bigint is not JSON`, hint: /string holding the digits/ },
  {
    kind: "a library type",
    source: withPayload("Map<string, string>"),
    error: `${PAYLOAD_LINE}:22 Map is not supported in a payload or result`,
    hint: /declare the data's type/,
  },
  {
    kind: "a generic type",
    source: withPayload("Box<string>", "type Box<T> = { value: T };"),
    error: `${PAYLOAD_LINE}:22 generic types are not supported: Box`,
    hint: /concrete type/,
  },
  {
    kind: "an unresolved generic",
    source: `\n@Queue("q")\nexport class Jobs {\n  @Job()\n  async run<T>(payload: T): Promise<void> {}\n}\n`,
    error: "6:25 unresolved generic type T",
    hint: /must be concrete/,
  },
  {
    kind: "a misspelt tag",
    source: withPayload("T", "type T = {\n  /** @maxLenght 3 */\n  a: string;\n};"),
    error: "3:7 unknown tag @maxLenght: did you mean @maxLength?",
    hint: /^write @maxLength$/,
  },
  {
    kind: "an unknown tag",
    source: withPayload("T", "type T = {\n  /** @colour red */\n  a: string;\n};"),
    error: "3:7 unknown tag @colour",
    hint: /supported tags: @minLength/,
  },
  {
    kind: "a tag on the wrong type",
    source: withPayload("T", "type T = {\n  /** @maxLength 3 */\n  n: number;\n};"),
    error: "3:7 @maxLength applies to strings, but property n is a number",
    hint: /remove @maxLength/,
  },
  {
    kind: "a malformed tag value",
    source: withPayload("T", "type T = {\n  /** @minimum ten */\n  n: number;\n};"),
    error: '3:7 @minimum needs a number, not "ten"',
    hint: /@minimum 10/,
  },
  {
    kind: "a tag on the same line as an object type's {",
    source: withPayload("T", "type T = { /** @maxLength 3 */\n  a: string;\n};"),
    error: "2:16 @maxLength is on the same line as `{`, so TypeScript attaches it to nothing and it would be ignored",
    hint: /^move \/\*\* @maxLength 3 \*\/ to the line above a$/,
  },
  {
    kind: "a misspelt format",
    source: withPayload("T", "type T = {\n  /** @format emial */\n  s: string;\n};"),
    error: '3:7 @format cannot be "emial": did you mean "email"?',
    hint: /one of email, uri/,
  },
  {
    kind: "a default of the wrong type",
    source: withPayload("T", 'type T = {\n  /** @default "x" */\n  n?: number;\n};'),
    error: '3:7 @default "x" does not fit property n, which is a number',
    hint: /default of the property's type/,
  },
  {
    kind: "an optional tuple element",
    source: withPayload("[string, number?]"),
    error: `${PAYLOAD_LINE}:31 optional and rest tuple elements are not supported`,
    hint: /fixed tuple/,
  },
  {
    kind: "a Record with other keys",
    source: withPayload("Record<number, string>"),
    error: `${PAYLOAD_LINE}:22 Record keys must be string, not \`number\``,
    hint: /Record<string, T>/,
  },
  {
    kind: "an intersection with a non-object",
    source: withPayload("{ a: string } & string"),
    error: `${PAYLOAD_LINE}:38 \`string\` is not an object type, so it cannot be merged`,
    hint: /merge object types only/,
  },
  {
    kind: "an enum member without a string value",
    source: withPayload("E", "enum E { A = 1 }"),
    error: "2:10 enum member A has no string value",
    hint: /A = "A"/,
  },
  {
    kind: "an index signature among properties",
    source: withPayload("{ a: string; [key: string]: string }"),
    error: `${PAYLOAD_LINE}:35 an index signature cannot be mixed with other properties`,
    hint: /alone/,
  },
  {
    kind: "a non-literal decorator argument",
    source: `const N = 5;\n@Queue("q")\nexport class Jobs {\n  @Job({ attempts: N })\n  async run(payload: string): Promise<void> {}\n}\n`,
    error: "5:20 decorator argument must be a literal, not `N`",
    hint: /write the value inline/,
  },
  {
    kind: "a misspelt option",
    source: `\n@Queue("q")\nexport class Jobs {\n  @Job({ atempts: 2 })\n  async run(payload: string): Promise<void> {}\n}\n`,
    error: "5:10 unknown option `atempts` in @Job options: did you mean attempts?",
    hint: /known options: name, priority/,
  },
  {
    kind: "a duplicate job name",
    source: `\n@Queue("q")\nexport class Jobs {\n  @Job() async send(p: string): Promise<void> {}\n  @Job({ name: "send" }) async other(p: string): Promise<void> {}\n}\n`,
    error: '6:32 job name "send" is used twice',
    hint: /@Job\(\{ name \}\)/,
  },
  {
    kind: "a bad queue name",
    source: `\n@Queue("my queue")\nexport class Jobs {\n  @Job() async send(p: string): Promise<void> {}\n}\n`,
    error: '3:8 queue name "my queue" must match ^[A-Za-z0-9._-]{1,64}$',
    hint: /letters, digits/,
  },
  {
    kind: "a bad job name",
    source: `\n@Queue("q")\nexport class Jobs {\n  @Job({ name: "a b" }) async send(p: string): Promise<void> {}\n}\n`,
    error: '5:16 job name "a b" must match ^[A-Za-z0-9._-]{1,64}$',
    hint: /letters, digits/,
  },
  {
    kind: "a missing payload parameter",
    source: `\n@Queue("q")\nexport class Jobs {\n  @Job() async ping(): Promise<void> {}\n}\n`,
    error: "5:16 job ping needs a payload parameter",
    hint: /payload: T/,
  },
  {
    kind: "a queue class that is not exported",
    source: `\n@Queue("q")\nclass Jobs {\n  @Job() async send(p: string): Promise<void> {}\n}\n`,
    error: "4:7 a @Queue class must be a named export: the generated worker imports it",
    hint: /export class/,
  },
];

describe("diagnostics: one per kind of error", () => {
  for (const { kind, source, error, hint } of CASES) {
    it(`reports ${kind} with its position, what is wrong and the fix`, () => {
      const entry = writeJobs(`${IMPORTS}${source}`);
      const diagnostics = analyze(entry).diagnostics;
      expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([error]);
      expect(diagnostics[0].hint).toMatch(hint);
      const frame = renderDiagnostic(diagnostics[0]).split("\n");
      expect(frame[0]).toBe(`${diagnostics[0].file}:${error.replace(" ", ": error: ")}`);
      expect(frame.at(-1)).toMatch(new RegExp(`^ +\\| {${diagnostics[0].column}}\\^$`));
    });
  }

  it("reports every problem of a file in one run, in file order", () => {
    const entry = writeJobs(`${IMPORTS}${withPayload("{ a: any; b: unknown; c: bigint; d: () => void; e: Map<string, string>; f: [string, number?] }")}`);
    const { diagnostics } = analyze(entry);
    expect(diagnostics.map((d) => d.column)).toEqual([27, 35, 47, 58, 73, 106]);
    expect(new Set(diagnostics.map((d) => d.line))).toEqual(new Set([PAYLOAD_LINE]));
  });
});
