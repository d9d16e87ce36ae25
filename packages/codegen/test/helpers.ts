/** Shared by the codegen tests: scratch folders, and running the real CLI as a child process. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const EXAMPLE = path.join(REPO, "examples/tweet");
const BIN = path.join(REPO, "packages/cli/bin/taskq.js");

const scratch: string[] = [];

/** A fresh temporary folder, removed by `removeScratch()`. */
export function scratchDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "taskq-codegen-"));
  scratch.push(dir);
  return dir;
}

export function removeScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temp copy of the tweet example (jobs.ts, twitter.ts, taskq.config.json, taskq.lock.json, generated/). */
export function copyExample(): string {
  const dir = scratchDir();
  for (const name of ["jobs.ts", "twitter.ts", "taskq.config.json", "taskq.lock.json", "generated"]) {
    cpSync(path.join(EXAMPLE, name), path.join(dir, name), { recursive: true });
  }
  return dir;
}

/** Writes `jobs.ts` (and any other files) into a scratch folder and returns its path. */
export function writeJobs(source: string, files: Record<string, string> = {}): string {
  const dir = scratchDir();
  writeFileSync(path.join(dir, "jobs.ts"), source);
  for (const [name, contents] of Object.entries(files)) writeFileSync(path.join(dir, name), contents);
  return path.join(dir, "jobs.ts");
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd: string): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
