// jobs.ts → files on disk (generate).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, type BigIntStats } from "node:fs";
import path from "node:path";
import { analyzeProject } from "./analyze/analyze.js";
import { SourceProject } from "./analyze/source-project.js";
import type { Diagnostic } from "./diagnostic.js";
import { emit } from "./emit/emit.js";
import { checkLock } from "./lock/check-lock.js";
import { lockPath, lockText, parseLock, readLock, type LockFile } from "./lock/lock-file.js";

/** Options of {@link generate}. */
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

/** What {@link generate} did, or would do with `check`. */
export interface GenerateResult {
  /** Files written (absolute paths); empty with `check` or on diagnostics. */
  written: string[];
  /** Files whose contents differ from what would be generated (absolute paths). */
  stale: string[];
  /** Every problem found in jobs.ts or against the lock file; nothing was written when there is one. */
  diagnostics: Diagnostic[];
}

/**
 * jobs.ts → files on disk: the generated folder and `taskq.lock.json` beside jobs.ts (what
 * `taskq generate` runs). Writes nothing when there is any diagnostic (a breaking payload change
 * against the lock is one), and only files whose bytes changed otherwise; with `check`, writes nothing
 * and reports which files are stale.
 *
 * `project`: a project already loaded for this entry (`--watch` keeps one between runs); leave it out.
 */
export function generate(options: GenerateOptions, project?: SourceProject): GenerateResult {
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.out);
  const entryPath = path.resolve(cwd, options.entry);
  if (!project && !existsSync(entryPath)) throw new Error(`entry file not found: ${options.entry}`);
  const source = project ?? new SourceProject(entryPath);
  const { manifest, diagnostics, sites } = analyzeProject(source, { outDir, cwd, defaultPrefix: options.defaultPrefix });
  if (diagnostics.length > 0) return { written: [], stale: [], diagnostics };
  const lockFile = lockPath(entryPath);
  const disk = project ? diskOf(project) : undefined;
  const locked = checkLock(manifest, sites, disk ? disk.lock(lockFile) : readLock(lockFile));
  if (locked.diagnostics.length > 0) return { written: [], stale: [], diagnostics: locked.diagnostics };
  const files = emit(manifest).map((file) => ({ path: path.join(outDir, file.path), contents: file.contents }));
  files.push({ path: lockFile, contents: lockText(locked.lock) });
  const stale = files.filter((file) => (disk ? disk.read(file.path) : readIfExists(file.path)) !== file.contents);
  if (options.check) return { written: [], stale: stale.map((file) => file.path), diagnostics };
  if (stale.some((file) => file.path !== lockFile)) mkdirSync(outDir, { recursive: true });
  for (const file of stale) {
    writeFileSync(file.path, file.contents);
    disk?.wrote(file.path, file.contents);
  }
  return { written: stale.map((file) => file.path), stale: [], diagnostics };
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * What `--watch` last read or wrote of the output files and the lock, each with the file's identity
 * (inode, size, mtime in ns) at that moment. A rebuild stats each file and reads it again only when
 * that changed, so an untouched output is not re-read (nor the lock re-parsed) on every save, while
 * a file edited or deleted by hand is still seen as stale.
 */
class DiskCache {
  private readonly texts = new Map<string, { stamp: string; text: string }>();
  private parsedLock?: { text: string; lock: LockFile };

  read(file: string): string | undefined {
    const stamp = stampOf(file);
    if (stamp === undefined) {
      this.texts.delete(file);
      return undefined;
    }
    const cached = this.texts.get(file);
    if (cached && cached.stamp === stamp) return cached.text;
    const text = readIfExists(file);
    // Stamped before reading: a write racing the read gives a new stamp, so it is read again next time.
    if (text === undefined) this.texts.delete(file);
    else this.texts.set(file, { stamp, text });
    return text;
  }

  wrote(file: string, text: string): void {
    const stamp = stampOf(file);
    if (stamp === undefined) this.texts.delete(file);
    else this.texts.set(file, { stamp, text });
  }

  /** `readLock`, reusing the parsed lock while the file's text is the one parsed last. */
  lock(file: string): LockFile | undefined {
    const text = this.read(file);
    if (text === undefined) return undefined;
    if (this.parsedLock?.text !== text) this.parsedLock = { text, lock: parseLock(file, text) };
    return this.parsedLock.lock;
  }
}

const disks = new WeakMap<SourceProject, DiskCache>();

function diskOf(project: SourceProject): DiskCache {
  let disk = disks.get(project);
  if (!disk) disks.set(project, (disk = new DiskCache()));
  return disk;
}

function stampOf(file: string): string | undefined {
  let stats: BigIntStats | undefined;
  try {
    stats = statSync(file, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  return stats?.isFile() ? `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}` : undefined;
}
