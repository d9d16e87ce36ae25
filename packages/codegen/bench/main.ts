/**
 * `npm run bench:codegen`: how fast `taskq generate` is on a large jobs.ts (200 jobs in 20 queues,
 * written by the bench into a temporary folder). Times, each the median of a few runs:
 * - cold `taskq generate`: a new process, as a build step runs it (Node and module loading included);
 * - cold `taskq generate --check`: the same, writing nothing;
 * - warm `--watch` rebuild: jobs.ts edited and regenerated with the project kept loaded.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { watchGenerate } from "../src/index.js";
import { makeJobsTs } from "./make-jobs.js";

const QUEUES = 20;
const JOBS_PER_QUEUE = 10;
const BIN = fileURLToPath(new URL("../../cli/bin/taskq.js", import.meta.url));
const TARGETS_MS = { cold: 2_000, check: 2_000, watch: 100 };

const dir = mkdtempSync(path.join(os.tmpdir(), "taskq-bench-codegen-"));
const entry = path.join(dir, "jobs.ts");
writeFileSync(entry, makeJobsTs(QUEUES, JOBS_PER_QUEUE));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time of `taskq <args>` in a new process; fresh output each time when `clean`. */
function timeCli(args: string[], runs: number, clean: boolean): number[] {
  return Array.from({ length: runs }, () => {
    if (clean) rmSync(path.join(dir, "generated"), { recursive: true, force: true });
    const started = performance.now();
    execFileSync(process.execPath, [BIN, ...args], { cwd: dir, stdio: "pipe" });
    return performance.now() - started;
  });
}

function timeWatch(edits: number): number[] {
  const times: number[] = [];
  const watcher = watchGenerate({
    entry,
    out: path.join(dir, "generated"),
    cwd: dir,
    debounceMs: 10_000,
    onGenerate: (result, ms) => {
      if (result.diagnostics.length > 0) throw new Error(`bench jobs.ts has errors: ${result.diagnostics[0].message}`);
      times.push(ms);
    },
  });
  const original = readFileSync(entry, "utf8");
  for (let i = 1; i <= edits; i++) {
    // A compatible edit of one job (a wider bound), as a save in the editor would make.
    writeFileSync(entry, original.replace("@maxLength 200", `@maxLength ${200 + i}`));
    watcher.rebuild([entry]);
  }
  watcher.close();
  return times.slice(1); // the first run is the cold one
}

try {
  const cold = timeCli(["generate"], 3, true);
  const check = timeCli(["generate", "--check"], 3, false);
  const watch = timeWatch(10);
  const rows: Array<[string, number, number]> = [
    ["cold taskq generate", median(cold), TARGETS_MS.cold],
    ["cold taskq generate --check", median(check), TARGETS_MS.check],
    ["warm --watch rebuild", median(watch), TARGETS_MS.watch],
  ];
  console.log(`taskq generate on ${QUEUES * JOBS_PER_QUEUE} jobs in ${QUEUES} queues (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
  for (const [name, ms, target] of rows) {
    const verdict = ms <= target ? "PASS" : "FALL SHORT";
    console.log(`  ${name.padEnd(30)} ${`${Math.round(ms)} ms`.padStart(8)}   target ≤ ${target} ms   ${verdict}`);
  }
  console.log(`  (medians; watch rebuilds: ${watch.map((ms) => Math.round(ms)).join(", ")} ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
