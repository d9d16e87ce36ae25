/**
 * `taskq generate [entry] [--out dir] [--check]`: jobs.ts → typed client, codecs and worker.
 * Exit 0 when done (or fresh with --check), 1 when stale with --check, 2 on errors in jobs.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { generate, renderDiagnostics } from "@taskq/codegen";
import { CliError } from "../cli-error.js";

export const EXIT_STALE = 1;
export const EXIT_ERRORS = 2;

const CONFIG_FILE = "taskq.config.json";

interface GenerateFlags {
  out?: string;
  check?: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description(`generate typed code from jobs.ts (default: ${CONFIG_FILE}, else ./jobs.ts → ./generated)`)
    .argument("[entry]", "the jobs.ts file")
    .option("--out <dir>", "the folder to write the generated files to")
    .option("--check", "write nothing; exit 1 if the generated files are not up to date")
    .action((entry: string | undefined, flags: GenerateFlags) => runGenerate(entry, flags));
}

function runGenerate(entryArg: string | undefined, flags: GenerateFlags): void {
  const config = readConfig();
  const entry = entryArg ?? config.entry ?? "jobs.ts";
  const out = flags.out ?? (entryArg === undefined ? config.out : undefined) ?? path.join(path.dirname(entry), "generated");
  if (!existsSync(entry)) throw new CliError(`entry file not found: ${entry}`, EXIT_ERRORS);
  const result = generate({ entry, out, check: flags.check });
  if (result.diagnostics.length > 0) {
    console.error(renderDiagnostics(result.diagnostics));
    process.exitCode = EXIT_ERRORS;
    return;
  }
  const shown = (file: string) => path.relative(process.cwd(), file).split(path.sep).join("/");
  if (flags.check) {
    if (result.stale.length === 0) return void console.log(`taskq: generated files in ${out} are up to date`);
    for (const file of result.stale) console.error(`stale: ${shown(file)}`);
    const fix = ["taskq generate", entryArg, flags.out && `--out ${flags.out}`].filter(Boolean).join(" ");
    console.error(`taskq: ${result.stale.length} generated file(s) out of date; run \`${fix}\``);
    process.exitCode = EXIT_STALE;
    return;
  }
  const summary = result.written.length === 0 ? "up to date" : `wrote ${result.written.map(shown).join(", ")}`;
  console.log(`taskq: ${summary}`);
}

/** `taskq.config.json` in the working directory: `{ entry, out }`, both optional. */
function readConfig(): { entry?: string; out?: string } {
  if (!existsSync(CONFIG_FILE)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(CONFIG_FILE, "utf8"));
  } catch (error) {
    throw new CliError(`${CONFIG_FILE} is not valid JSON: ${(error as Error).message}`, EXIT_ERRORS);
  }
  const config = parsed as { entry?: unknown; out?: unknown };
  for (const key of ["entry", "out"] as const) {
    if (config[key] !== undefined && typeof config[key] !== "string") {
      throw new CliError(`${CONFIG_FILE}: "${key}" must be a string`, EXIT_ERRORS);
    }
  }
  return config as { entry?: string; out?: string };
}
