import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { watchGenerate } from "../src/index.js";
import { makeJobsTs } from "./make-jobs.js";
const dir = mkdtempSync(path.join(os.tmpdir(), "taskq-prof-"));
const entry = path.join(dir, "jobs.ts");
writeFileSync(entry, makeJobsTs(20, 10));
const times: number[] = [];
const watcher = watchGenerate({ entry, out: path.join(dir, "generated"), cwd: dir, debounceMs: 10_000, onGenerate: (r, ms) => { if (r.diagnostics.length) throw new Error(r.diagnostics[0].message); times.push(ms); } });
const original = readFileSync(entry, "utf8");
const n = Number(process.argv[2] ?? 10);
for (let i = 1; i <= n; i++) { writeFileSync(entry, original.replace("@maxLength 200", `@maxLength ${200 + i}`)); watcher.rebuild([entry]); }
watcher.close();
const t = times.slice(1);
const s = [...t].sort((a, b) => a - b);
console.log(t.map(Math.round).join(", "), "median", Math.round(s[Math.floor(s.length / 2)]), "last10 median", Math.round([...t.slice(-10)].sort((a,b)=>a-b)[5]));
rmSync(dir, { recursive: true, force: true });
