#!/usr/bin/env node
// A package's prepack/postpack: the "@taskq/source" export condition maps to src/*.ts, which only this
// repository has (development resolves the sources through it); a tarball holds dist/ alone, so its
// package.json must not name them. `strip` saves package.json aside and writes it without the
// condition; `restore` puts the saved one back. Run in the package's folder (npm does).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const CONDITION = "@taskq/source";
const SAVED = "package.json.dev";

function strip(value) {
  if (Array.isArray(value) || value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== CONDITION)
      .map(([key, v]) => [key, strip(v)]),
  );
}

const [command] = process.argv.slice(2);
if (command === "strip") {
  const text = readFileSync("package.json", "utf8");
  writeFileSync(SAVED, text);
  const manifest = JSON.parse(text);
  manifest.exports = strip(manifest.exports);
  writeFileSync("package.json", `${JSON.stringify(manifest, null, 2)}\n`);
} else if (command === "restore") {
  if (existsSync(SAVED)) renameSync(SAVED, "package.json");
} else {
  throw new Error("usage: publish-manifest.mjs strip|restore");
}
