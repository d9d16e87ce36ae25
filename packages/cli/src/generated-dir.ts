/**
 * Loads a folder written by `taskq generate`: its `index.ts` (through tsx, which the binary
 * registered) for `createWorker` and `definitions`, and its `manifest.json` for the queues' names
 * and key prefixes.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { JobDefinition, Worker, WorkerOptions } from "@taskq/runtime";
import { CliError } from "./cli-error.js";

export interface GeneratedModule {
  createWorker(options: Omit<WorkerOptions, "queues"> & { queues?: string[] }): Worker;
  definitions: Record<string, JobDefinition<any, any>>;
}

export interface GeneratedDir {
  module: GeneratedModule;
  queues: Array<{ name: string; prefix: string }>;
}

export async function loadGenerated(dir: string): Promise<GeneratedDir> {
  const index = path.resolve(dir, "index.ts");
  const manifestFile = path.resolve(dir, "manifest.json");
  if (!existsSync(index) || !existsSync(manifestFile)) {
    throw new CliError(`${dir} is not a folder written by \`taskq generate\` (no index.ts or manifest.json)`, 2);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { queues: Array<{ name: string; prefix: string }> };
  const module = (await import(pathToFileURL(index).href)) as GeneratedModule;
  return { module, queues: manifest.queues.map((q) => ({ name: q.name, prefix: q.prefix })) };
}
