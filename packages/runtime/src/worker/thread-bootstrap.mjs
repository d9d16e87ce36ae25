// The entry of a pool thread. A worker thread does not inherit the main thread's TypeScript loader
// (nor honour `--import` in its execArgv for its own entry), so it registers tsx itself, then loads
// the real entry and, through it, the user's handler module.
try {
  const { register } = await import("tsx/esm/api");
  register();
} catch {
  // Running compiled JavaScript: no loader needed.
}
await import(new URL("./thread-entry.ts", import.meta.url).href);
