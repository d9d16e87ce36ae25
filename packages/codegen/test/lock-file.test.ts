/**
 * `taskq.lock.json`: a breaking change to a payload without a version bump is refused, naming the
 * field and the change (one case per kind); a compatible change passes and updates the lock.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

const PAYLOAD = `export type Post = {
  /** @maxLength 280 */
  content: string;
  count: number;
  /** @minimum 0 */
  score?: number;
  level: "low" | "high";
  tags?: string[];
};`;

function jobsTs(payload: string, job = "@Job()", extra = ""): string {
  return `import { Queue, Job } from "@taskq/runtime";

${payload}
${extra}
@Queue("q")
export class Jobs {
  ${job}
  async post(payload: Post): Promise<void> {}
}
`;
}

/** Generates `before` (writing the lock), then generates `after` against that lock. */
function changeTo(after: string, before = jobsTs(PAYLOAD)) {
  const entry = writeJobs(before);
  const out = path.join(path.dirname(entry), "generated");
  expect(generate({ entry, out }).diagnostics).toEqual([]);
  writeFileSync(entry, after);
  const lock = path.join(path.dirname(entry), "taskq.lock.json");
  return { ...generate({ entry, out }), lock: JSON.parse(readFileSync(lock, "utf8")), entry };
}

const BREAKING: Array<[string, string, string]> = [
  ["a field removed", PAYLOAD.replace("  count: number;\n", ""), "field count: removed"],
  ["a type changed", PAYLOAD.replace("count: number", "count: string"), "field count: type changed from number to string"],
  ["optional made required", PAYLOAD.replace("score?: number", "score: number"), "field score: optional made required"],
  [
    "a required field added",
    PAYLOAD.replace("count: number;", "count: number;\n  lang: string;"),
    "field lang: added as required (payloads without it no longer decode)",
  ],
  ["maxLength made smaller", PAYLOAD.replace("@maxLength 280", "@maxLength 200"), "field content: maxLength narrowed from 280 to 200"],
  ["minimum made larger", PAYLOAD.replace("@minimum 0", "@minimum 1"), "field score: minimum narrowed from 0 to 1"],
  ["a constraint added", PAYLOAD.replace("tags?: string[]", "/** @maxItems 3 */\n  tags?: string[]"), "field tags: maxItems 3 added"],
  ["an enum value removed", PAYLOAD.replace('"low" | "high"', '"high"'), 'field level: enum value "low" removed'],
  ["an array's items changed", PAYLOAD.replace("tags?: string[]", "tags?: number[]"), "field tags[]: type changed from string to number"],
];

describe("taskq.lock.json", () => {
  for (const [kind, payload, change] of BREAKING) {
    it(`refuses ${kind} without a version bump, naming the field and the change`, () => {
      const { diagnostics, written } = changeTo(jobsTs(payload));
      expect(written).toEqual([]);
      expect(diagnostics.map((d) => d.message)).toEqual([`breaking change to the payload of post without a version bump: ${change}`]);
      expect(diagnostics[0].hint).toMatch(/@Job\(\{ version: 2 \}\)\) and export upgradePostV1\(payload: <the old type>\): <the new type>; or undo the change/);
    });
  }

  it("reports at the payload parameter's type, with file:line:col", () => {
    const { diagnostics } = changeTo(jobsTs(PAYLOAD.replace("@maxLength 280", "@maxLength 200")));
    expect(diagnostics.map(({ file, line, column }) => `${path.basename(file)}:${line}:${column}`)).toEqual(["jobs.ts:16:23"]);
  });

  it("passes a compatible change (a new optional field, constraints widened, an enum value added) and updates the lock", () => {
    const widened = PAYLOAD.replace("@maxLength 280", "@maxLength 500")
      .replace('"low" | "high"', '"low" | "high" | "urgent"')
      .replace("@minimum 0", "@minimum -1")
      .replace("count: number;", "count: number;\n  lang?: string;");
    const { diagnostics, written, lock } = changeTo(jobsTs(widened));
    expect(diagnostics).toEqual([]);
    expect(written.map((file) => path.basename(file))).toContain("taskq.lock.json");
    expect(lock.jobs.post.version).toBe(1);
    expect(lock.jobs.post.shape.type.properties.map((p: { name: string }) => p.name)).toContain("lang");
  });

  it("passes a breaking change with a version bump and its upgrade, and locks the new version", () => {
    const v1 = PAYLOAD.replace("export type Post", "export type PostV1");
    const v2 = "export type Post = { content: string; count: string };";
    const upgrade = "export function upgradePostV1(p: PostV1): Post {\n  return { content: p.content, count: String(p.count) };\n}\n";
    const { diagnostics, lock } = changeTo(jobsTs(`${v1}\n${v2}`, "@Job({ version: 2 })", upgrade));
    expect(diagnostics).toEqual([]);
    expect(lock.jobs.post.version).toBe(2);
  });

  it("refuses an upgrade whose parameter no longer takes the locked version's payloads", () => {
    const v1 = "export type PostV1 = { content: string };";
    const upgrade = 'export function upgradePostV1(p: PostV1): Post {\n  return { ...p, count: 0, level: "low" };\n}\n';
    const { diagnostics } = changeTo(jobsTs(`${PAYLOAD}\n${v1}`, "@Job({ version: 2 })", upgrade));
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "13:31 upgradePostV1 does not accept every version 1 payload of post: field count: removed",
      "13:31 upgradePostV1 does not accept every version 1 payload of post: field score: removed",
      "13:31 upgradePostV1 does not accept every version 1 payload of post: field level: removed",
      "13:31 upgradePostV1 does not accept every version 1 payload of post: field tags: removed",
    ]);
  });

  it("refuses a version that went down", () => {
    const v1 = PAYLOAD.replace("export type Post", "export type PostV1");
    const upgrade = "export function upgradePostV1(p: PostV1): Post {\n  return p;\n}\n";
    const { diagnostics } = changeTo(jobsTs(PAYLOAD), jobsTs(`${v1}\n${PAYLOAD}`, "@Job({ version: 2 })", upgrade));
    expect(diagnostics.map((d) => d.message)).toEqual(["the version of job post went down from 2 to 1 (taskq.lock.json)"]);
  });

  it("writes the same lock bytes for the same jobs.ts", () => {
    const first = changeTo(jobsTs(PAYLOAD));
    const second = changeTo(jobsTs(PAYLOAD));
    expect(first.lock).toEqual(second.lock);
    expect(readFileSync(path.join(path.dirname(first.entry), "taskq.lock.json"), "utf8")).toBe(
      readFileSync(path.join(path.dirname(second.entry), "taskq.lock.json"), "utf8"),
    );
  });
});

describe("lock text", () => {
  it("is the lock as JSON.stringify writes it, with each shape's keys sorted, cached or not", async () => {
    const { analyze } = await import("../src/analyze/analyze.js");
    const { checkLock } = await import("../src/lock/check-lock.js");
    const { lockText } = await import("../src/lock/lock-file.js");
    const { sortKeys } = await import("../src/lock/payload-shape.js");
    const entry = writeJobs(`import { Queue, Job } from "@taskq/runtime";
export type Comment = { text: string; replies: Comment[] };
export type Post = {
  /** @maxLength 280 */
  content: string;
  "odd key": number;
  comments?: Comment[];
  tags: [];
};
@Queue("q")
export class Jobs {
  @Job({ version: 1 })
  async post(payload: Post): Promise<void> {}

  @Job()
  async aJob(payload: { z: string; a: { y: null; b: boolean } }): Promise<void> {}

  @Job()
  async thread(payload: Comment): Promise<void> {}
}
`);
    const { manifest, sites, diagnostics } = analyze(entry);
    expect(diagnostics.map((d) => d.message)).toEqual([]);
    const lock = checkLock(manifest, sites, undefined).lock;
    const reference = (l: typeof lock) => {
      const jobs = Object.fromEntries(
        Object.keys(l.jobs)
          .sort()
          .map((name) => [name, { ...l.jobs[name], shape: sortKeys(l.jobs[name].shape) }]),
      );
      return `${JSON.stringify({ lockVersion: l.lockVersion, jobs }, null, 2)}\n`;
    };
    expect(lockText(lock)).toEqual(reference(lock));
    expect(lockText(lock)).toEqual(reference(lock));
    const plain = JSON.parse(lockText(lock));
    plain.jobs.post.shape = { type: { kind: "string", maxLength: 1 } }; // not what its hash says: written as is
    expect(lockText(plain)).toEqual(reference(plain));
    expect(lockText({ lockVersion: 1, jobs: {} })).toEqual(reference({ lockVersion: 1, jobs: {} }));
  });
});
