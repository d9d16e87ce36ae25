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
  const lock = JSON.parse(text) as LockFile;
  if (lock?.lockVersion !== 1 || typeof lock.jobs !== "object") throw new Error(`${file} is not a taskq lock file (lockVersion 1)`);
  return lock;
}

/** Jobs by name, each as version, hash, shape; the shape's own keys sorted. */
export function lockText(lock: LockFile): string {
  const names = Object.keys(lock.jobs).sort();
  const jobs = Object.fromEntries(names.map((name) => {
    const { version, hash, shape } = lock.jobs[name];
    return [name, { version, hash, shape: sortKeys(shape) }];
  }));
  return `${JSON.stringify({ lockVersion: lock.lockVersion, jobs }, null, 2)}\n`;
}
