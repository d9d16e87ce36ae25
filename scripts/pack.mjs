#!/usr/bin/env node
// `npm run pack`: builds the three packages and packs each into packed/ (or the folder given), the
// tarballs an app installs until taskq is on the registry:
//   npm install <dir>/taskq-runtime-<v>.tgz typebox
//   npm install --save-dev <dir>/taskq-cli-<v>.tgz <dir>/taskq-codegen-<v>.tgz
// Prints the tarballs' paths, one a line.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.resolve(process.argv[2] ?? path.join(root, "packed"));
const PACKAGES = ["runtime", "codegen", "cli"];

execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], { stdio: ["ignore", "inherit", "inherit"] });
mkdirSync(out, { recursive: true });
for (const name of PACKAGES) {
  const reply = execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: path.join(root, "packages", name), encoding: "utf8" });
  const [{ filename }] = JSON.parse(reply);
  console.log(path.join(out, filename));
}
