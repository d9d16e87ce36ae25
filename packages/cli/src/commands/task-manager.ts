/**
 * `taskq task-manager --queues a,b`: a TaskManager on its own, for deployments that run workers with
 * `taskManager: false` (or just want one more): it puts dead workers' jobs back in their queues and
 * fires due schedules, until SIGTERM/SIGINT. Any number may run at once; they coordinate in Redis.
 */
import type { Command } from "commander";
import { DEFAULT_PREFIX, TaskManager, defaultRedisUrl } from "@taskq/runtime";
import { CliError } from "../cli-error.js";
import { terminalText } from "../terminal-text.js";

interface TaskManagerFlags {
  redis?: string;
  queues: string;
  prefix: string;
  deadAfter?: string;
}

export function registerTaskManager(program: Command): void {
  program
    .command("task-manager")
    .description("reclaim dead workers' jobs and fire schedules for some queues, until stopped")
    .requiredOption("--queues <names>", "the queues to look after, comma-separated")
    .option("--prefix <prefix>", "their key prefix", DEFAULT_PREFIX)
    .option("--redis <url>", "Redis URL (default: TASKQ_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379)")
    .option("--dead-after <ms>", "the workers' deadAfterMs: after an outage of Redis, how long live workers get to heartbeat again (default: 10000)")
    .action((flags: TaskManagerFlags) => runTaskManager(flags));
}

async function runTaskManager(flags: TaskManagerFlags): Promise<void> {
  const queues = flags.queues
    .split(",")
    .map((q) => q.trim())
    .filter(Boolean);
  const graceMs = flags.deadAfter === undefined ? undefined : Number(flags.deadAfter);
  if (graceMs !== undefined && !(Number.isInteger(graceMs) && graceMs > 0))
    throw new CliError(`--dead-after must be a positive integer, got ${flags.deadAfter}`, 2);
  const manager = new TaskManager({
    connection: flags.redis ?? defaultRedisUrl(),
    queues: queues.map((name) => ({ name, prefix: flags.prefix })),
    graceMs,
    onError: (error) => console.error(`taskq task-manager: ${terminalText(error.message)}`),
    onConnectionChange: (change) => console.error(`taskq task-manager: ${terminalText(change.message)}`),
    onReclaimed: (queue, count) => console.log(`taskq task-manager: took back ${count} job${count === 1 ? "" : "s"} of dead workers in ${queue}`),
  });
  manager.start();
  // Signal handlers first, then the line a supervisor waits for (see worker.ts).
  const signalled = new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  console.log(`taskq task-manager: looking after ${queues.join(", ")} (prefix ${flags.prefix})`);
  await signalled;
  await manager.stop();
}
