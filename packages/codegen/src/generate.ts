/**
 * jobs.ts → files on disk: the generated folder and `taskq.lock.json` beside jobs.ts. Writes nothing
 * when there is any diagnostic (a breaking payload change against the lock is one), and only files
 * whose bytes changed otherwise; with `check`, writes nothing and reports which files are stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { analyzeProject } from "./analyze/analyze.js";
import { SourceProject } from "./analyze/source-project.js";
import type { Diagnostic } from "./diagnostic.js";
import { emit } from "./emit/emit.js";
import { checkLock } from "./lock/check-lock.js";
import { lockPath, lockText, readLock } from "./lock/lock-file.js";

export interface GenerateOptions {
  /** The jobs.ts file. */
  entry: string;
  /** The folder the generated files go to. */
  out: string;
  /** Compare instead of writing. (Default: false) */
  check?: boolean;
  /** Relative paths are resolved against it. (Default: `process.cwd()`) */
  cwd?: string;
  /** The Redis key prefix of queues that do not set one. (Default: `"taskq"`) */
  defaultPrefix?: string;
}

export interface GenerateResult {
  /** Files written (absolute paths); empty with `check` or on diagnostics. */
  written: string[];
  /** Files whose contents differ from what would be generated (absolute paths). */
  stale: string[];
  diagnostics: Diagnostic[];
}

/** `project`: a project already loaded for this entry (`--watch` keeps one between runs). */
export function generate(options: GenerateOptions, project?: SourceProject): GenerateResult {
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.out);
  const entryPath = path.resolve(cwd, options.entry);
  if (!project && !existsSync(entryPath)) throw new Error(`entry file not found: ${options.entry}`);
  const source = project ?? new SourceProject(entryPath);
  const { manifest, diagnostics, sites } = analyzeProject(source, { outDir, cwd, defaultPrefix: options.defaultPrefix });
  if (diagnostics.length > 0) return { written: [], stale: [], diagnostics };
  const lockFile = lockPath(entryPath);
  const locked = checkLock(manifest, sites, readLock(lockFile));
  if (locked.diagnostics.length > 0) return { written: [], stale: [], diagnostics: locked.diagnostics };
  const files = emit(manifest).map((file) => ({ path: path.join(outDir, file.path), contents: file.contents }));
  files.push({ path: lockFile, contents: lockText(locked.lock) });
  const stale = files.filter((file) => readIfExists(file.path) !== file.contents);
  if (options.check) return { written: [], stale: stale.map((file) => file.path), diagnostics };
  if (stale.some((file) => file.path !== lockFile)) mkdirSync(outDir, { recursive: true });
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
