/**
 * `taskq generate --watch`: a save regenerates (only the files whose bytes changed), an error in
 * jobs.ts is reported and the watch goes on, and the fix regenerates again.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { watchGenerate, type GenerateResult } from "../src/index.js";
import { REPO, copyExample, removeScratch } from "./helpers.js";

afterAll(removeScratch);

/** Resolves with the next runs of the watcher, one at a time. */
function runs() {
  const queue: Array<{ result: GenerateResult; elapsedMs: number }> = [];
  let wake: (() => void) | undefined;
  return {
    push(result: GenerateResult, elapsedMs: number) {
      queue.push({ result, elapsedMs });
      wake?.();
    },
    async next(): Promise<{ result: GenerateResult; elapsedMs: number }> {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return queue.shift()!;
    },
  };
}

describe("generate --watch", () => {
  it("regenerates on save, reports an error without stopping, and regenerates the fix", async () => {
    const dir = copyExample();
    const jobs = path.join(dir, "jobs.ts");
    const seen = runs();
    const watcher = watchGenerate({ entry: jobs, out: path.join(dir, "generated"), cwd: dir, onGenerate: (result, ms) => seen.push(result, ms) });
    try {
      expect((await seen.next()).result.written).toEqual([]);
      const original = readFileSync(jobs, "utf8");
      writeFileSync(jobs, original.replace("@maxLength 280", "@maxLength 300"));
      const saved = await seen.next();
      expect(saved.result.written.map((file) => path.relative(dir, file)).sort()).toEqual([
        "generated/codecs.ts",
        "generated/manifest.json",
        "taskq.lock.json",
      ]);
      writeFileSync(jobs, original.replace("@maxLength 280", "@maxLenght 300"));
      const broken = await seen.next();
      expect(broken.result.diagnostics.map((d) => d.message)).toEqual(["unknown tag @maxLenght: did you mean @maxLength?"]);
      writeFileSync(jobs, original.replace("@maxLength 280", "@maxLength 400"));
      const fixed = await seen.next();
      expect(fixed.result.diagnostics).toEqual([]);
      expect(readFileSync(path.join(dir, "generated/codecs.ts"), "utf8")).toContain("maxLength: 400");
    } finally {
      watcher.close();
    }
  });

  it("runs from the CLI until stopped, printing each rebuild", async () => {
    const dir = copyExample();
    const child = spawn(process.execPath, [path.join(REPO, "packages/cli/bin/taskq.js"), "generate", "--watch"], { cwd: dir });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const waitFor = async (pattern: RegExp) => {
      for (let waited = 0; !pattern.test(output); waited += 20) {
        if (waited > 20_000) throw new Error(`no ${pattern} in: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await waitFor(/up to date/);
      const jobs = path.join(dir, "jobs.ts");
      writeFileSync(jobs, readFileSync(jobs, "utf8").replace("@maxLength 280", "@maxLength 300"));
      await waitFor(/wrote generated\/codecs\.ts, generated\/manifest\.json, taskq\.lock\.json \(\d+ ms\)/);
    } finally {
      child.kill("SIGTERM"); // SIGINT may be ignored when the suite itself runs in the background
    }
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
  });
});
