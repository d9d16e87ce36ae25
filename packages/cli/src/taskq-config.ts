/** `taskq.config.json` in the working directory: `{ entry, out, prefix }`, each optional. */
import { existsSync, readFileSync } from "node:fs";
import { CliError } from "./cli-error.js";

export const CONFIG_FILE = "taskq.config.json";

export interface TaskqConfig {
  /** The jobs.ts file. (Default: `jobs.ts`) */
  entry?: string;
  /** The folder generated files go to. (Default: `generated` beside the entry) */
  out?: string;
  /** The Redis key prefix of queues whose `@Queue` sets none. (Default: `taskq`) */
  prefix?: string;
}

const KEYS = ["entry", "out", "prefix"] as const;
const EXIT_ERRORS = 2;

export function readConfig(file = CONFIG_FILE): TaskqConfig {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`, EXIT_ERRORS);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new CliError(`${file} must hold an object: { "entry", "out", "prefix" }`, EXIT_ERRORS);
  const config = parsed as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (key === "$schema") continue;
    if (!(KEYS as readonly string[]).includes(key)) throw new CliError(`${file}: unknown key "${key}" (known: ${KEYS.join(", ")})`, EXIT_ERRORS);
    if (typeof config[key] !== "string") throw new CliError(`${file}: "${key}" must be a string`, EXIT_ERRORS);
  }
  if (config.prefix !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(config.prefix as string)) {
    throw new CliError(`${file}: "prefix" must match [A-Za-z0-9._-]{1,64}`, EXIT_ERRORS);
  }
  return config;
}
