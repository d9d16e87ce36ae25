// The entry of a pool thread: loads thread-entry (compiled .js in the package, .ts in this repository)
// and, through it, the pool's handler module. A worker thread does not inherit the main thread's
// TypeScript loader (nor honour `--import` in its execArgv for its own entry), so where either file
// is TypeScript it registers tsx itself: only then, and only if the app has tsx installed.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workerData } from "node:worker_threads";

const compiled = new URL("./thread-entry.js", import.meta.url);
const entry = existsSync(compiled) ? compiled : new URL("./thread-entry.ts", import.meta.url);
const module = new URL(workerData.module);
// A generated `<queue>.threads.js` URL names a .ts file when the app runs its sources under tsx.
const typescript = entry.pathname.endsWith(".ts") || module.pathname.endsWith(".ts") || (module.protocol === "file:" && !existsSync(fileURLToPath(module)));
if (typescript) {
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    throw new Error(
      `the thread pool's module ${module.href} is TypeScript: compile it with tsc, or install tsx (npm install --save-dev tsx) to run it as it is`,
    );
  }
  register();
}
await import(entry.href);
