/**
 * `--watch` replays the jobs a save did not change (analyze/job-memo.ts). Whatever the edit, a
 * rebuild must give what a fresh `taskq generate` gives on the same files: the same diagnostics and
 * the same bytes. Each step below edits the files, rebuilds the watcher, and compares it with a fresh
 * run on a copy made just before (so both see the same lock file).
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, watchGenerate, type GenerateResult } from "../src/index.js";
import { removeScratch, scratchDir } from "./helpers.js";

afterAll(removeScratch);

const TYPES = `export enum Channel {
  Email = "email",
  Sms = "sms",
}

export type Address = {
  /** @maxLength 50 */
  street: string;
  country: "fr" | "de";
};

export type Profile = { name: string; address?: Address };
`;

const JOBS = `import { Queue, Job, type JobContext } from "@taskq/runtime";
import { Channel, type Address, type Profile } from "./types.js";

export type Notice = {
  /** @maxLength 200 */
  text: string;
  channel: Channel;
  to: Profile;
};

@Queue("mail")
export class MailJobs {
  @Job()
  async notify(payload: Notice, ctx: JobContext): Promise<{ sent: boolean }> {
    return { sent: ctx.attempt > 0 && payload.text !== "" };
  }

  @Job({ attempts: 3 })
  async verify(payload: { address: Address; at: Date }): Promise<void> {}

  @Job()
  async greet(payload: Profile): Promise<Notice> {
    return { text: payload.name, channel: Channel.Email, to: payload };
  }
}
`;

/** Every file of a folder (and of its `generated/`), by relative path. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const file = path.join(dir, name);
    if (name.endsWith(".ts") || name.endsWith(".json")) files[name] = readFileSync(file, "utf8");
  }
  return files;
}

function relative(dir: string, result: GenerateResult) {
  return { diagnostics: result.diagnostics, written: result.written.map((file) => path.relative(dir, file)).sort() };
}

describe("generate --watch replaying unchanged jobs", () => {
  it("gives what a fresh run gives after each edit, imported types included", () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, "types.ts"), TYPES);
    writeFileSync(path.join(dir, "jobs.ts"), JOBS);
    let last: GenerateResult | undefined;
    const watcher = watchGenerate({
      entry: "jobs.ts",
      out: "generated",
      cwd: dir,
      debounceMs: 60_000,
      onGenerate: (result) => (last = result),
      onError: (error) => {
        throw error;
      },
    });
    const step = (file: "jobs.ts" | "types.ts", edit: (text: string) => string) => {
      const fresh = scratchDir();
      cpSync(dir, fresh, { recursive: true });
      const target = path.join(dir, file);
      const text = edit(readFileSync(target, "utf8"));
      writeFileSync(target, text);
      writeFileSync(path.join(fresh, file), text);
      watcher.rebuild([target]);
      const expected = generate({ entry: "jobs.ts", out: "generated", cwd: fresh });
      expect(relative(dir, last!)).toEqual(relative(fresh, expected));
      expect(snapshot(dir)).toEqual(snapshot(fresh));
      return last!;
    };
    try {
      expect(last?.diagnostics).toEqual([]);
      // A constraint in an imported type that jobs use through another type (wider: not breaking).
      expect(step("types.ts", (text) => text.replace("@maxLength 50", "@maxLength 60")).diagnostics).toEqual([]);
      expect(readFileSync(path.join(dir, "generated/codecs.ts"), "utf8")).toContain("maxLength: 60");
      // An enum value and a type used by several jobs.
      expect(
        step("types.ts", (text) => text.replace('Sms = "sms",', 'Sms = "sms",\n  Push = "push",').replace("name: string;", "name: string; nick?: string;"))
          .diagnostics,
      ).toEqual([]);
      // Only the method of one job changes.
      step("jobs.ts", (text) => text.replace("@Job({ attempts: 3 })", "@Job({ attempts: 4 })"));
      // New declarations, one with the name of an imported type inside a namespace (no clash).
      expect(
        step("jobs.ts", (text) => `${text}\nexport type Other = { p: Profile };\nnamespace N { export type Profile = { x: number } }\n`).diagnostics,
      ).toEqual([]);
      // Two jobs swap names (a breaking change), and back; then one takes another's name, and gives it back.
      step("jobs.ts", (text) =>
        text.replace("async greet(", "async verify2(").replace("async verify(", "async greet(").replace("async verify2(", "async verify("),
      );
      step("jobs.ts", (text) =>
        text.replace("async greet(", "async verify2(").replace("async verify(", "async greet(").replace("async verify2(", "async verify("),
      );
      expect(step("jobs.ts", (text) => text.replace("@Job()\n  async notify", '@Job({ name: "greet" })\n  async notify')).diagnostics.length).toBeGreaterThan(
        0,
      );
      step("jobs.ts", (text) => text.replace('@Job({ name: "greet" })\n  async notify', "@Job()\n  async notify"));
      // A new job whose inline payload takes the name of a declared type another job uses.
      expect(
        step("jobs.ts", (text) =>
          text
            .replace("export type Notice", "export type SendPayload = { a: string };\nexport type Notice")
            .replace("  @Job()\n  async greet", "  @Job()\n  async send(payload: { b: string }): Promise<void> {}\n\n  @Job()\n  async greet")
            .replace("text: string;", "text: string;\n  extra?: SendPayload;"),
        ).diagnostics.length,
      ).toBeGreaterThan(0);
      step("jobs.ts", (text) => text.replace("extra?: SendPayload;", ""));
      // A type used by a job is removed from the imported module, then put back.
      expect(step("types.ts", (text) => text.replace("export type Address", "type Address")).diagnostics.length).toBeGreaterThan(0);
      step("types.ts", (text) => text.replace("type Address", "export type Address"));
      // Back to the start (narrowing again, against the lock).
      step("types.ts", () => TYPES);
      step("jobs.ts", () => JOBS);
    } finally {
      watcher.close();
    }
  });

  it("sees outputs and the lock edited by hand between rebuilds, as a fresh run does", () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, "types.ts"), TYPES);
    writeFileSync(path.join(dir, "jobs.ts"), JOBS);
    let last: GenerateResult | undefined;
    const watcher = watchGenerate({
      entry: "jobs.ts",
      out: "generated",
      cwd: dir,
      debounceMs: 60_000,
      onGenerate: (result) => (last = result),
      onError: (error) => {
        throw error;
      },
    });
    /** Hand edits made while the watcher waits, then a rebuild with no source saved, against a fresh run. */
    const step = (edit: () => void) => {
      edit();
      const fresh = scratchDir();
      cpSync(dir, fresh, { recursive: true });
      watcher.rebuild([]);
      const expected = generate({ entry: "jobs.ts", out: "generated", cwd: fresh });
      expect(relative(dir, last!)).toEqual(relative(fresh, expected));
      expect(snapshot(dir)).toEqual(snapshot(fresh));
      return last!;
    };
    const file = (name: string) => path.join(dir, name);
    try {
      expect(last?.diagnostics).toEqual([]);
      expect(step(() => {}).written).toEqual([]);
      // An output changed without changing its size, another deleted.
      const written = step(() => {
        const client = readFileSync(file("generated/client.ts"), "utf8");
        writeFileSync(file("generated/client.ts"), client.replace("notify", "notifx"));
        rmSync(file("generated/index.ts"));
      }).written;
      expect(written.map((name) => path.relative(dir, name)).sort()).toEqual(["generated/client.ts", "generated/index.ts"]);
      // The lock says a job was at a higher version: an error, then fine again once it is put back.
      const lock = readFileSync(file("taskq.lock.json"), "utf8");
      const raised = lock.replace(/("notify": \{\n\s*"version": )1/, "$12");
      expect(raised).not.toEqual(lock);
      expect(step(() => writeFileSync(file("taskq.lock.json"), raised)).diagnostics.length).toBeGreaterThan(0);
      expect(step(() => writeFileSync(file("taskq.lock.json"), lock)).diagnostics).toEqual([]);
      // The lock deleted: written again.
      expect(step(() => rmSync(file("taskq.lock.json"))).written.map((name) => path.relative(dir, name))).toEqual(["taskq.lock.json"]);
    } finally {
      watcher.close();
    }
  });
});
