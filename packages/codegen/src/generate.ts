/**
 * jobs.ts → files on disk. Writes nothing when there is any diagnostic, and only files whose bytes
 * changed otherwise; with `check`, writes nothing and reports which files are stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { analyze } from "./analyze/analyze.js";
import type { Diagnostic } from "./diagnostic.js";
import { emit } from "./emit/emit.js";

export interface GenerateOptions {
  /** The jobs.ts file. */
  entry: string;
  /** The folder the generated files go to. */
  out: string;
  /** Compare instead of writing. (Default: false) */
  check?: boolean;
  /** Relative paths are resolved against it. (Default: `process.cwd()`) */
  cwd?: string;
}

export interface GenerateResult {
  /** Files written (absolute paths); empty with `check` or on diagnostics. */
  written: string[];
  /** Files whose contents differ from what would be generated (absolute paths). */
  stale: string[];
  diagnostics: Diagnostic[];
}

export function generate(options: GenerateOptions): GenerateResult {
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.out);
  const { manifest, diagnostics } = analyze(options.entry, { outDir, cwd });
  if (diagnostics.length > 0) return { written: [], stale: [], diagnostics };
  const files = emit(manifest).map((file) => ({ path: path.join(outDir, file.path), contents: file.contents }));
  const stale = files.filter((file) => readIfExists(file.path) !== file.contents);
  if (options.check) return { written: [], stale: stale.map((file) => file.path), diagnostics };
  if (stale.length > 0) mkdirSync(outDir, { recursive: true });
  for (const file of stale) writeFileSync(file.path, file.contents);
  return { written: stale.map((file) => file.path), stale: [], diagnostics };
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
