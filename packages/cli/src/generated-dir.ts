/**
 * Loads a folder written by `taskq generate`, for `createWorker` and the queues its `definitions`
 * name. The folder is the app's compiled output (`index.js`, run on plain Node) or the generated
 * TypeScript itself (`index.ts`), which needs a TypeScript loader: the one already running (tsx in
 * this repository), else the app's own tsx, an optional peer of the CLI, else a one-line error.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker, WorkerOptions } from "@taskq/runtime";
import type { JobDefinition } from "@taskq/runtime/internal";
import { CliError } from "./cli-error.js";

export interface GeneratedModule {
  createWorker(options: Omit<WorkerOptions, "queues"> & { queues?: string[] }): Worker;
  definitions: Record<string, JobDefinition<any, any>>;
}

export interface GeneratedDir {
  module: GeneratedModule;
  /** The queues of jobs.ts, each once, in the order their first job was declared. */
  queues: Array<{ name: string; prefix: string; shards?: number }>;
}

export async function loadGenerated(dir: string): Promise<GeneratedDir> {
  const entry = ["index.js", "index.ts"].map((file) => path.resolve(dir, file)).find((file) => existsSync(file));
  if (entry === undefined) throw new CliError(`${dir} is not a folder written by \`taskq generate\` (no index.js or index.ts)`, 2);
  const module = (await importEntry(entry)) as Partial<GeneratedModule>;
  if (typeof module.createWorker !== "function" || typeof module.definitions !== "object") {
    throw new CliError(`${entry} does not export createWorker and definitions: is ${dir} a folder written by \`taskq generate\`?`, 2);
  }
  // Job definitions point at their queue's one declaration: a queue is known by prefix and name.
  const queues = new Map<string, { name: string; prefix: string; shards?: number }>();
  for (const { queue } of Object.values(module.definitions)) {
    const { name, prefix, shards } = queue;
    queues.set(`${prefix}\u0000${name}`, { name, prefix, ...(shards === undefined ? {} : { shards }) });
  }
  return { module: module as GeneratedModule, queues: [...queues.values()] };
}

async function importEntry(entry: string): Promise<unknown> {
  const url = pathToFileURL(entry).href;
  try {
    return await import(url);
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
  }
  // TypeScript with no loader running: the app's tsx, if it has one.
  let tsxApi: string;
  try {
    tsxApi = createRequire(path.join(process.cwd(), "package.json")).resolve("tsx/esm/api");
  } catch {
    throw new CliError(
      `${entry} is TypeScript: compile it with your tsc and pass the compiled folder (taskq worker dist/generated), or install tsx (npm install --save-dev tsx) to run it as it is`,
      2,
    );
  }
  const { register } = (await import(pathToFileURL(tsxApi).href)) as { register: () => void };
  register();
  return import(url);
}
