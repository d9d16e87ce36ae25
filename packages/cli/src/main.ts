/**
 * The `taskq` command line. Each command is one file under `commands/` exporting a
 * `register(program)`; adding a command is adding a file and a line here.
 */
import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { registerGenerate } from "./commands/generate.js";
import { registerInit } from "./commands/init.js";
import { registerWorker } from "./commands/worker.js";
import { registerStats } from "./commands/stats.js";
import { registerWorkers } from "./commands/workers.js";
import { registerJobs } from "./commands/jobs.js";
import { registerDlq } from "./commands/dlq.js";
import { registerServe } from "./commands/serve.js";
import { registerSchedules } from "./commands/schedules.js";
import { registerTaskManager } from "./commands/task-manager.js";

const COMMANDS = [registerInit, registerGenerate, registerWorker, registerStats, registerWorkers, registerJobs, registerDlq, registerSchedules, registerTaskManager, registerServe];

function buildProgram(): Command {
  const program = new Command("taskq")
    .description("typed Redis jobs: generate code from jobs.ts, run workers, inspect queues")
    .option("--debug", "print stack traces of errors")
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, argv.includes("--debug"));
  }
}

/** Prints the error for a person (a stack trace only with --debug) and returns the exit code. */
function reportError(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) return error.exitCode; // commander already printed it
  if (debug && error instanceof Error) console.error(error.stack);
  else console.error(`taskq: ${error instanceof Error ? error.message : String(error)}`);
  return error instanceof CliError ? error.exitCode : 1;
}

await main(process.argv);
