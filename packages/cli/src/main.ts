/**
 * The `taskq` command line. Each command is one file under `commands/` exporting a
 * `register(program)`; adding a command is adding a file and a line here.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { maskCredentials, terminalText } from "./terminal-text.js";

/** This package's version (one version for all three taskq packages): src/ and dist/ sit beside package.json. */
const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when needed: most commands pull in the runtime (ioredis, the Lua
 * scripts) and `generate` pulls in the TypeScript compiler, so loading all of them for one would add
 * about a second to every start. In `taskq --help` order.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  init: async () => (await import("./commands/init.js")).registerInit,
  generate: async () => (await import("./commands/generate.js")).registerGenerate,
  worker: async () => (await import("./commands/worker.js")).registerWorker,
  stats: async () => (await import("./commands/stats.js")).registerStats,
  workers: async () => (await import("./commands/workers.js")).registerWorkers,
  jobs: async () => (await import("./commands/jobs.js")).registerJobs,
  dlq: async () => (await import("./commands/dlq.js")).registerDlq,
  schedules: async () => (await import("./commands/schedules.js")).registerSchedules,
  "task-manager": async () => (await import("./commands/task-manager.js")).registerTaskManager,
  serve: async () => (await import("./commands/serve.js")).registerServe,
};

/**
 * The commands to register: the one named in `argv`; none for `taskq --version`, which prints the
 * version alone; or all of them (for help, or a name to correct).
 */
function commandsFor(argv: string[]): Array<() => Promise<Register>> {
  const args = argv.slice(2);
  const name = args.find((arg) => !arg.startsWith("-"));
  if (name === undefined && (args.includes("-V") || args.includes("--version"))) return [];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]] : Object.values(COMMANDS);
}

async function buildProgram(argv: string[]): Promise<Command> {
  const json = argv.includes("--json");
  const program = new Command("taskq")
    .description("typed Redis jobs: generate code from jobs.ts, run workers, inspect queues")
    .version(VERSION, "-V, --version", "print the taskq version")
    .option("--debug", "print stack traces of errors")
    // Under --json a usage error is reported as JSON by reportError, not as text and help.
    .showHelpAfterError(!json)
    .configureOutput({ outputError: (text, write) => (json ? undefined : write(text)) })
    .exitOverride();
  for (const register of await Promise.all(commandsFor(argv).map((load) => load()))) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, { debug: argv.includes("--debug"), json: argv.includes("--json") });
    // A command that failed must end even if something it opened (a connection, a server) is still
    // open: the timer does not keep the process alive, but ends it if anything else does.
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  }
}

/** How long a failed command may take to close what it opened before the process exits anyway. */
const EXIT_GRACE_MS = 2_000;

/**
 * Prints the error on stderr, for a person (a stack trace only with --debug) or, under --json, as
 * `{ "code", "message" }`, and returns the exit code: 0 for help and version, 2 for a usage error
 * (commander's own included: an unknown option, a missing argument), else the error's own or 1.
 * Messages can quote Redis URLs and data: credentials are masked, control characters escaped.
 */
function reportError(error: unknown, { debug, json }: { debug: boolean; json: boolean }): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    // Without --json commander already printed it (with the help).
    if (json) printJsonError("E_USAGE", error.message.replace(/^error: /, ""));
    return 2;
  }
  const message = maskCredentials(error instanceof Error ? error.message : String(error));
  if (json) printJsonError(errorCode(error), message);
  else if (debug && error instanceof Error) console.error(maskCredentials(error.stack ?? error.message));
  else console.error(`taskq: ${terminalText(message)}`);
  return error instanceof CliError ? error.exitCode : 1;
}

/** The stable code of an error: taskq's own (CliError, the runtime's errors) carry one. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^E_[A-Z_]+$/.test(code) ? code : "E_FAILED";
}

function printJsonError(code: string, message: string): void {
  process.stderr.write(`${JSON.stringify({ code, message })}\n`);
}

await main(process.argv);
