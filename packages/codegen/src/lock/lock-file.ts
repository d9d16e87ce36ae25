/**
 * `taskq.lock.json`, kept next to jobs.ts and committed: per job, the payload version and the shape
 * that version was generated with. It is how `taskq generate` knows what payloads may still be stored
 * in Redis. The text is deterministic (jobs by name, keys sorted) so it diffs well in review.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sortKeys, type PayloadShape } from "./payload-shape.js";

export const LOCK_FILE = "taskq.lock.json";

export interface LockedJob {
  version: number;
  /** `sha256:…` of the shape's canonical JSON. */
  hash: string;
  shape: PayloadShape;
}

export interface LockFile {
  lockVersion: 1;
  jobs: Record<string, LockedJob>;
}

/** The lock file of an entry: beside it. */
export function lockPath(entryPath: string): string {
  return path.join(path.dirname(entryPath), LOCK_FILE);
}

/** The lock as last written, or undefined when there is none yet. Throws on a file that is not a lock. */
export function readLock(file: string): LockFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return parseLock(file, text);
}

/** The text of a lock file → the lock. Throws on a text that is not a lock. */
export function parseLock(file: string, text: string): LockFile {
  const lock = JSON.parse(text) as LockFile;
  if (lock?.lockVersion !== 1 || typeof lock.jobs !== "object") throw new Error(`${file} is not a taskq lock file (lockVersion 1)`);
  return lock;
}

/**
 * A locked job whose hash is the digest of its shape as given, and whose shape's keys are already
 * sorted (what `checkLock` makes): its text in the lock is a function of version and hash alone.
 */
export function canonicalLockedJob(version: number, hash: string, shape: PayloadShape): LockedJob {
  const job = { version, hash, shape };
  canonical.add(job);
  return job;
}

const canonical = new WeakSet<LockedJob>();
/** The lock text of canonical jobs by version and hash: `--watch` writes the lock on every rebuild. */
const jobTexts = new Map<string, string>();
const JOB_TEXTS_MAX = 10_000;

/** Jobs by name, each as version, hash, shape; the shape's own keys sorted. */
export function lockText(lock: LockFile): string {
  const names = Object.keys(lock.jobs).sort();
  if (names.length === 0) return `${JSON.stringify({ lockVersion: lock.lockVersion, jobs: {} }, null, 2)}\n`;
  // What `JSON.stringify(…, null, 2)` writes for the whole lock, put together job by job: a job's
  // value is written as on its own, each line after the first indented by its depth (4 spaces).
  const parts: string[] = [];
  for (const name of names) parts.push(`    ${JSON.stringify(name)}: ${jobText(lock.jobs[name])}`);
  return `{\n  "lockVersion": ${JSON.stringify(lock.lockVersion)},\n  "jobs": {\n${parts.join(",\n")}\n  }\n}\n`;
}

function jobText(job: LockedJob): string {
  const key = canonical.has(job) ? `${job.version}\u0000${job.hash}` : undefined;
  const cached = key === undefined ? undefined : jobTexts.get(key);
  if (cached !== undefined) return cached;
  const { version, hash, shape } = job;
  const text = JSON.stringify({ version, hash, shape: sortKeys(shape) }, null, 2).replaceAll("\n", "\n    ");
  if (key !== undefined) {
    if (jobTexts.size >= JOB_TEXTS_MAX) jobTexts.clear();
    jobTexts.set(key, text);
  }
  return text;
}
