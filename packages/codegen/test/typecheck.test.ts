/**
 * The generated code type-checks under the repository's strict tsconfig, and the type-level spec in
 * `types/tweet-types.ts` holds: wrong payloads are compile errors (each `@ts-expect-error` is used).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE, REPO } from "./helpers.js";
import { sharedTypeErrors, typeErrors } from "./type-errors.js";

const GENERATED = ["client.ts", "codecs.ts", "index.ts", "worker.ts"];
const example = GENERATED.map((name) => path.join(EXAMPLE, "generated", name));
const allTypes = [
  ...GENERATED.map((name) => path.join(import.meta.dirname, "fixtures/all-types/generated", name)),
  path.join(import.meta.dirname, "types/all-types.ts"),
];
const versioned = GENERATED.map((name) => path.join(import.meta.dirname, "fixtures/versioned/generated", name));
const tweetTypes = [path.join(import.meta.dirname, "types/tweet-types.ts")];
// The checks of files as they are share one program (the first to ask builds it); the drift check
// changes a file in memory, so it has a program of its own.
let shared: ((files: string[]) => string[]) | undefined;
const typeErrorsOf = (files: string[]) => (shared ??= sharedTypeErrors([...example, ...allTypes, ...versioned, ...tweetTypes]))(files);

describe("generated code", () => {
  it("type-checks under strict", () => {
    expect(typeErrorsOf(example)).toEqual([]);
  });

  it("type-checks for every supported type: each schema's static type is exactly its TypeScript type", () => {
    expect(typeErrorsOf(allTypes)).toEqual([]);
  });

  it("type-checks a versioned job's worker: each upgrade takes its version's payload and returns the next", () => {
    expect(typeErrorsOf(versioned)).toEqual([]);
  });

  it("does not compile when a schema drifts from its type", () => {
    const codecs = path.join(import.meta.dirname, "fixtures/all-types/generated/codecs.ts");
    const text = readFileSync(codecs, "utf8");
    const drifted = text
      .replace("text: Type.String({ minLength: 1 })", "text: Type.Number()")
      .replace("radius: Type.Number(),", "radius: Type.Optional(Type.Number()),");
    expect(drifted).not.toBe(text);
    const errors = typeErrors([codecs], { [codecs]: drifted });
    const lineOf = (name: string) => drifted.split("\n").indexOf(`true satisfies Same<StaticDecode<typeof ${name}Schema>, ${name}>;`) + 1;
    const at = (name: string) => `${path.relative(REPO, codecs)}:${lineOf(name)}: Type 'true' does not satisfy the expected type 'false'.`;
    // The two drifted schemas, and the types that contain them.
    expect(errors).toEqual(expect.arrayContaining([at("Comment"), at("Shape")]));
    for (const error of errors) expect(error).toMatch(/does not satisfy the expected type 'false'/);
  });

  it("refuses wrong payloads at compile time and types results", () => {
    expect(typeErrorsOf(tweetTypes)).toEqual([]);
  });
});
