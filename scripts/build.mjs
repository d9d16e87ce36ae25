#!/usr/bin/env node
// Builds the packages a user installs: `tsc` compiles each package's src/ to dist/ (ESM, .d.ts with
// declaration maps, source maps), then the files the compiled code reads at run time are copied
// beside it, where it looks for them relative to itself: the runtime's Lua scripts, dashboard and
// thread bootstrap, and codegen's handlebars templates (whose source is the repository's templates/).
// `node scripts/build.mjs` builds all three in dependency order; `node scripts/build.mjs runtime` one.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** Per package: what to copy into dist/ after compiling, [from (repo-relative), to (dist-relative)]. */
const PACKAGES = {
  runtime: [
    ["packages/runtime/src/scripts", "scripts"],
    ["packages/runtime/src/http/dashboard", "http/dashboard"],
    ["packages/runtime/src/worker/thread-bootstrap.mjs", "worker/thread-bootstrap.mjs"],
  ],
  codegen: [["templates", "templates"]],
  cli: [],
};

const shared = ["LICENSE", "CHANGELOG.md"];

function build(name) {
  const dir = path.join(root, "packages", name);
  const dist = path.join(dir, "dist");
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.build.json")], { stdio: "inherit" });
  for (const [from, to] of PACKAGES[name]) cpSync(path.join(root, from), path.join(dist, to), { recursive: true });
  // The licence and changelog are the repository's; each tarball carries a copy.
  for (const file of shared) cpSync(path.join(root, file), path.join(dir, file));
}

const names = process.argv.slice(2);
for (const name of names.length > 0 ? names : Object.keys(PACKAGES)) {
  if (!(name in PACKAGES)) throw new Error(`unknown package ${name}: one of ${Object.keys(PACKAGES).join(", ")}`);
  build(name);
}
