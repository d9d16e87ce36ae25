// jobs.ts → manifest (analyze).
import { existsSync } from "node:fs";
import path from "node:path";
import type { ClassDeclaration, SourceFile } from "ts-morph";
import type { Diagnostic } from "../diagnostic.js";
import type { Manifest, QueueManifest } from "../manifest.js";
import type { JobSites } from "./job-sites.js";
import { NameBook } from "./unique-names.js";
import { jobDecorator, readQueue } from "./queue.js";
import { Reporter } from "./reporter.js";
import { SourceProject } from "./source-project.js";
import { readRuntimeImports, type RuntimeImports } from "./runtime-imports.js";
import { TypeRegistry, type TypeContext } from "./type-registry.js";
import { reportStrayUpgrades } from "./upgrades.js";

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Where the generated files go; `manifest.source` is relative to it. (Default: `<entry dir>/generated`) */
  outDir?: string;
  /** Diagnostic paths are relative to it. (Default: `process.cwd()`) */
  cwd?: string;
  /** The Redis key prefix of queues that do not set one. (Default: `"taskq"`) */
  defaultPrefix?: string;
}

/** What {@link analyze} found: the manifest, and every problem. */
export interface AnalyzeResult {
  /** The queues, jobs and types read; only meaningful when `diagnostics` is empty. */
  manifest: Manifest;
  /** Every problem found, sorted by file and position; empty when jobs.ts is valid. */
  diagnostics: Diagnostic[];
  /**
   * Where each job's parts are, by job name: for checks made after analysis (the lock file).
   *
   * @internal For `generate`'s lock-file check; positions are not part of the manifest.
   */
  sites: Map<string, JobSites>;
}

/**
 * jobs.ts → manifest. Reads the `@Queue` classes of the entry file with ts-morph and collects every
 * problem as a diagnostic instead of stopping at the first; the manifest is only meaningful when there
 * are none. Throws only when the entry file does not exist.
 */
export function analyze(entry: string, options: AnalyzeOptions = {}): AnalyzeResult {
  const entryPath = path.resolve(options.cwd ?? process.cwd(), entry);
  if (!existsSync(entryPath)) throw new Error(`entry file not found: ${entry}`);
  return analyzeProject(new SourceProject(entryPath), options);
}

/** Analyzes a project already loaded: `--watch` keeps one and refreshes the files that changed. */
export function analyzeProject(source: SourceProject, options: AnalyzeOptions = {}): AnalyzeResult {
  const file = source.entry;
  const entryPath = source.entryPath;
  const outDir = path.resolve(options.outDir ?? path.join(path.dirname(entryPath), "generated"));
  const reporter = new Reporter(options.cwd);
  const ctx: TypeContext = { reporter, registry: new TypeRegistry(), names: new NameBook(), jobSites: new Map(), memo: source.memo };
  source.memo?.begin(source.project.getSourceFiles());
  const queues = readQueues(file, readRuntimeImports(file), ctx, options.defaultPrefix);
  source.memo?.end();
  const upgradeNames = queues.flatMap((queue) => queue.jobs.flatMap((job) => (job.upgrades ?? []).map((upgrade) => upgrade.function)));
  // Only when every job read cleanly: a job with an error has no chain, so its upgrades would look stray.
  if (reporter.diagnostics.length === 0) reportStrayUpgrades(file, new Set(upgradeNames), ctx);
  const manifest: Manifest = {
    manifestVersion: 1,
    source: path.relative(outDir, entryPath).split(path.sep).join("/"),
    queues,
    types: ctx.registry.all(),
  };
  return { manifest, diagnostics: reporter.sorted(), sites: ctx.jobSites };
}

function readQueues(file: SourceFile, imports: RuntimeImports, ctx: TypeContext, defaultPrefix?: string): QueueManifest[] {
  const queues: QueueManifest[] = [];
  for (const cls of file.getClasses()) {
    const decorator = cls.getDecorators().find((d) => imports.queue.has(d.getName()));
    if (!decorator) {
      reportStrayJobs(cls, imports, ctx);
      continue;
    }
    const queue = readQueue(cls, decorator, imports, ctx, defaultPrefix);
    if (queue) queues.push(queue);
  }
  if (queues.length === 0 && ctx.reporter.diagnostics.length === 0) {
    ctx.reporter.error(file, "no @Queue class found", 'decorate an exported class with @Queue("name") from "@taskq/runtime"', 0);
  }
  return queues;
}

function reportStrayJobs(cls: ClassDeclaration, imports: RuntimeImports, ctx: TypeContext): void {
  for (const method of cls.getMethods()) {
    if (jobDecorator(method, imports)) {
      ctx.reporter.error(method.getNameNode(), `@Job method ${method.getName()} is not in a @Queue class`, 'add @Queue("name") to the class');
    }
  }
}
