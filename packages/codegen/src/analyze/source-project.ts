/**
 * The ts-morph project the analyzer reads: the entry and the relative modules it imports, nothing
 * else. Packages (`@taskq/runtime` and whatever it pulls in) are never loaded: the decorators are read
 * by their syntax, and payload types may only come from relative modules. That keeps a cold run to
 * one small program, and lets `--watch` keep the project and re-read only the files that changed.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Project, ts, type SourceFile } from "ts-morph";
import type { JobMemo } from "./job-memo.js";

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  // Imports are followed by `addWithImports` (relative ones only), not by the compiler.
  noResolve: true,
  lib: ["lib.es2022.d.ts"],
  types: [],
};

export class SourceProject {
  readonly project = new Project({ compilerOptions: COMPILER_OPTIONS, skipAddingFilesFromTsConfig: true });
  readonly entry: SourceFile;

  /** `memo`: kept by `--watch`, so that a rebuild re-reads only the jobs a save changed. */
  constructor(
    readonly entryPath: string,
    readonly memo?: JobMemo,
  ) {
    this.entry = this.addWithImports(entryPath)!;
  }

  /** The user's files in the project: what `--watch` watches. */
  files(): string[] {
    return this.project
      .getSourceFiles()
      .map((file) => file.getFilePath() as string)
      .filter((file) => !file.includes("/node_modules/"));
  }

  /** Re-reads `changed` files from disk (dropping deleted ones) and loads modules newly imported. */
  refresh(changed: Iterable<string>): void {
    for (const file of changed) {
      const source = this.project.getSourceFile(file);
      if (source) source.refreshFromFileSystemSync();
    }
    for (const source of this.project.getSourceFiles()) this.addImportsOf(source);
  }

  private addWithImports(file: string): SourceFile | undefined {
    const existing = this.project.getSourceFile(file);
    if (existing) return existing;
    if (!existsSync(file)) return undefined;
    const source = this.project.addSourceFileAtPath(file);
    this.addImportsOf(source);
    return source;
  }

  private addImportsOf(source: SourceFile): void {
    if (source.wasForgotten()) return;
    const declarations = [...source.getImportDeclarations(), ...source.getExportDeclarations()];
    for (const declaration of declarations) {
      const specifier = declaration.getModuleSpecifierValue();
      if (!specifier?.startsWith(".")) continue;
      const target = resolveRelative(path.dirname(source.getFilePath()), specifier);
      if (target) this.addWithImports(target);
    }
  }
}

/** `./comment.js` → `comment.ts` beside it, the way TypeScript's bundler resolution finds it. */
function resolveRelative(dir: string, specifier: string): string | undefined {
  const base = path.resolve(dir, specifier);
  const swapped = base
    .replace(/\.js$/, ".ts")
    .replace(/\.mjs$/, ".mts")
    .replace(/\.cjs$/, ".cts")
    .replace(/\.jsx$/, ".tsx");
  const candidates = [swapped, base, `${base}.ts`, `${base}.tsx`, `${base}.d.ts`, path.join(base, "index.ts")];
  return candidates.find((candidate) => /\.(c|m)?tsx?$/.test(candidate) && existsSync(candidate));
}
