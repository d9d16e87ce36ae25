/**
 * The generated code type-checks under the repository's strict tsconfig, and the type-level spec in
 * `types/tweet-types.ts` holds: wrong payloads are compile errors (each `@ts-expect-error` is used).
 */
import path from "node:path";
import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";
import { EXAMPLE, REPO } from "./helpers.js";

function typeErrors(files: string[]): string[] {
  const project = new Project({ tsConfigFilePath: path.join(REPO, "tsconfig.json"), skipAddingFilesFromTsConfig: true });
  for (const file of files) project.addSourceFileAtPath(file);
  project.resolveSourceFileDependencies();
  return project.getPreEmitDiagnostics().map((diagnostic) => {
    const file = diagnostic.getSourceFile();
    const where = file ? `${path.relative(REPO, file.getFilePath())}:${diagnostic.getLineNumber()}` : "";
    const message = diagnostic.getMessageText();
    return `${where}: ${typeof message === "string" ? message : message.getMessageText()}`;
  });
}

describe("generated code", () => {
  it("type-checks under strict", () => {
    const generated = ["client.ts", "codecs.ts", "index.ts", "worker.ts"].map((name) => path.join(EXAMPLE, "generated", name));
    expect(typeErrors(generated)).toEqual([]);
  });

  it("refuses wrong payloads at compile time and types results", () => {
    expect(typeErrors([path.join(import.meta.dirname, "types/tweet-types.ts")])).toEqual([]);
  });
});
