#!/usr/bin/env node
// The taskq binary. Installed, it runs the compiled dist/main.js on plain Node. In the taskq
// repository (the sources beside it, no dist needed) it runs src/main.ts through tsx, resolving the
// workspace packages to their sources too (the "@taskq/source" export condition).
import { existsSync } from "node:fs";
import { register } from "node:module";

const source = new URL("../src/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  // npm scripts pass the condition already (the root .npmrc); run by hand, a resolve hook adds it.
  // Hooks run last-registered first: this one adds the condition, then tsx resolves.
  const options = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`;
  if (!options.includes("@taskq/source")) {
    const addSourceCondition = `export function resolve(specifier, context, next) {
      return next(specifier, { ...context, conditions: [...new Set([...context.conditions, "@taskq/source"])] });
    }`;
    register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  }
  await import(source.href);
} else {
  await import("../dist/main.js");
}
