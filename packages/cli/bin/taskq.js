#!/usr/bin/env node
// The taskq binary. Installed, it runs the compiled dist/main.js on plain Node. In the taskq
// repository (the sources beside it, no dist needed) it runs src/main.ts through tsx, which resolves
// the workspace packages (@taskq/runtime and its subpaths, @taskq/codegen) to their sources by the
// `paths` of the repository's tsconfig.json; their package.json files name only dist/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = new URL("../src/main.ts", import.meta.url);
if (existsSync(source)) {
  // Named explicitly, since tsx would otherwise read the tsconfig.json of the working directory (tests
  // run this binary from temporary folders). Put in the environment too, which the tsx a pool thread
  // registers (thread-bootstrap.mjs) and any tsx process started from here read it from.
  const tsconfig = fileURLToPath(new URL("../../../tsconfig.json", import.meta.url));
  process.env.TSX_TSCONFIG_PATH = tsconfig;
  const { register } = await import("tsx/esm/api");
  register({ tsconfig });
  await import(source.href);
} else {
  await import("../dist/main.js");
}
