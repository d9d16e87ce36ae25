/**
 * The project side of the CLI: `taskq init` scaffolds a project that generates as it is and never
 * overwrites; `taskq.config.json` sets the entry, the output and the default queue prefix.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeScratch, runCli, scratchDir } from "./helpers.js";

afterAll(removeScratch);

describe("taskq init", () => {
  it("scaffolds jobs.ts, taskq.config.json and a generate script that generate as they are", () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app", scripts: { test: "vitest" } }));
    const init = runCli(["init"], dir);
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).scripts).toEqual({ test: "vitest", generate: "taskq generate" });
    expect(JSON.parse(readFileSync(path.join(dir, "taskq.config.json"), "utf8"))).toEqual({ entry: "jobs.ts", out: "generated" });
    const generate = runCli(["generate"], dir);
    expect(generate.stderr).toBe("");
    expect(generate.status).toBe(0);
    expect(readFileSync(path.join(dir, "generated/client.ts"), "utf8")).toContain("Sends the welcome email to a new user.");
  });

  it("refuses to overwrite, naming what is there, and writes nothing", () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, "jobs.ts"), "// mine\n");
    const run = runCli(["init"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("taskq: init would overwrite jobs.ts; nothing was written");
    expect(readFileSync(path.join(dir, "jobs.ts"), "utf8")).toBe("// mine\n");
    expect(existsSync(path.join(dir, "taskq.config.json"))).toBe(false);
  });
});

describe("taskq.config.json", () => {
  it("sets the prefix of queues that set none", () => {
    const dir = scratchDir();
    expect(runCli(["init"], dir).status).toBe(0);
    writeFileSync(path.join(dir, "taskq.config.json"), JSON.stringify({ entry: "jobs.ts", out: "gen", prefix: "myapp" }));
    expect(runCli(["generate"], dir).status).toBe(0);
    expect(readFileSync(path.join(dir, "gen/client.ts"), "utf8")).toContain('prefix: "myapp"');
  });

  it("refuses an unknown key, naming the known ones", () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, "taskq.config.json"), JSON.stringify({ entry: "jobs.ts", ouput: "gen" }));
    const run = runCli(["generate"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('taskq: taskq.config.json: unknown key "ouput" (known: entry, out, prefix)');
  });
});
