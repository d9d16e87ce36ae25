/**
 * `taskq generate [entry] [--out dir] [--check] [--watch]`: jobs.ts → typed client, codecs and worker.
 * Exit 0 when done (or fresh with --check), 1 when stale with --check, 2 on errors in jobs.ts.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { GenerateResult } from "@taskq/codegen";
import { CliError } from "../cli-error.js";
import { CONFIG_FILE, readConfig } from "../taskq-config.js";

export const EXIT_STALE = 1;
export const EXIT_ERRORS = 2;

interface GenerateFlags {
  out?: string;
  check?: boolean;
  watch?: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description(`generate typed code from jobs.ts (default: ${CONFIG_FILE}, else ./jobs.ts → ./generated)`)
    .argument("[entry]", "the jobs.ts file")
    .option("--out <dir>", "the folder to write the generated files to")
    .option("--check", "write nothing; exit 1 if the generated files are not up to date")
    .option("--watch", "regenerate whenever jobs.ts or a module it imports is saved")
    .action((entry: string | undefined, flags: GenerateFlags) => runGenerate(entry, flags));
}

/** The code generator, loaded when a generate runs: it brings the TypeScript compiler (ts-morph), which `taskq --help` and every other command do without. */
type Codegen = typeof import("@taskq/codegen");

async function runGenerate(entryArg: string | undefined, flags: GenerateFlags): Promise<void> {
  if (flags.check && flags.watch) throw new CliError("--check and --watch cannot be used together", EXIT_ERRORS);
  const config = readConfig();
  const entry = entryArg ?? config.entry ?? "jobs.ts";
  const out = flags.out ?? (entryArg === undefined ? config.out : undefined) ?? path.join(path.dirname(entry), "generated");
  if (!existsSync(entry)) throw new CliError(`entry file not found: ${entry}`, EXIT_ERRORS);
  const options = { entry, out, defaultPrefix: config.prefix };
  const codegen = await import("@taskq/codegen");
  const { generate, renderDiagnostics } = codegen;
  if (flags.watch) return watch(codegen, options);
  const result = generate({ ...options, check: flags.check });
  if (result.diagnostics.length > 0) {
    console.error(renderDiagnostics(result.diagnostics));
    process.exitCode = EXIT_ERRORS;
    return;
  }
  if (flags.check) {
    if (result.stale.length === 0) return void console.log(`taskq: generated files in ${out} are up to date`);
    for (const file of result.stale) console.error(`stale: ${shown(file)}`);
    const fix = ["taskq generate", entryArg, flags.out && `--out ${flags.out}`].filter(Boolean).join(" ");
    console.error(`taskq: ${result.stale.length} generated file(s) out of date; run \`${fix}\``);
    process.exitCode = EXIT_STALE;
    return;
  }
  console.log(`taskq: ${summary(result)}`);
}

/** Runs until SIGINT/SIGTERM; errors in jobs.ts are printed and the watch goes on. */
function watch({ watchGenerate, renderDiagnostics }: Codegen, options: { entry: string; out: string; defaultPrefix?: string }): Promise<void> {
  const watcher = watchGenerate({
    ...options,
    onGenerate(result, elapsedMs) {
      const time = new Date().toTimeString().slice(0, 8);
      if (result.diagnostics.length > 0) console.error(`${renderDiagnostics(result.diagnostics)}\n`);
      else console.log(`taskq [${time}] ${summary(result)} (${Math.round(elapsedMs)} ms)`);
    },
    onError: (error) => console.error(`taskq: ${error instanceof Error ? error.message : String(error)}`),
  });
  console.log(`taskq: watching ${options.entry} and the modules it imports; Ctrl-C to stop`);
  return new Promise((resolve) => {
    const stop = () => {
      watcher.close();
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

function summary(result: GenerateResult): string {
  return result.written.length === 0 ? "up to date" : `wrote ${result.written.map(shown).join(", ")}`;
}

function shown(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join("/");
}
