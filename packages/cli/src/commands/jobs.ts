/**
 * `taskq jobs list|get|cancel|retry`: page through a queue's jobs by state, show one job whole, cancel
 * one that has not started, retry a dead one (fresh attempts) or run a delayed one now. Job ids are
 * per queue: `--queue` says which; without it the id is looked up in every queue.
 */
import type { Command } from "commander";
import { LISTABLE_STATES, queueLabel, type ActionResult, type JobDetail, type JobSummary, type ListableState, type QueueInspector } from "@taskq/runtime/admin";
import { CliError } from "../cli-error.js";
import { inspectOptions, withInspector, type InspectFlags } from "../inspector-options.js";
import { age, pageSize, printJson, printTable } from "../output.js";
import { terminalText } from "../terminal-text.js";

interface ListFlags extends InspectFlags {
  queue?: string;
  state: string;
  limit: string;
  cursor?: string;
}

type ByIdFlags = InspectFlags & { queue?: string };

export function registerJobs(program: Command): void {
  const jobs = program.command("jobs").description("list, show, cancel and retry jobs");

  inspectOptions(jobs.command("list").description("jobs of one state, a page at a time: queue after queue, next to run (or newest) first"))
    .option("--queue <name>", "only this queue: name, or prefix:name (default: every queue)")
    .option("--state <state>", `one of ${LISTABLE_STATES.join(", ")}`, "waiting")
    .option("--limit <n>", "at most n jobs, 1 to 1000", "50")
    .option("--cursor <cursor>", "go on from where the previous page ended (its nextCursor)")
    .action((flags: ListFlags) =>
      withInspector(flags, async (inspector) => {
        if (!(LISTABLE_STATES as readonly string[]).includes(flags.state))
          throw new CliError(`unknown state ${terminalText(flags.state).slice(0, 80)}: use one of ${LISTABLE_STATES.join(", ")}`, 2);
        const page = await inspector.pageJobs({ state: flags.state as ListableState, queue: flags.queue, limit: pageSize(flags.limit), cursor: flags.cursor });
        const list = page.jobs;
        if (flags.json) return printJson({ jobs: list, nextCursor: page.nextCursor ?? null });
        printTable(
          list,
          [
            { header: "ID", cell: (j) => j.id },
            { header: "QUEUE", cell: (j) => label(j) },
            { header: "NAME", cell: (j) => j.name },
            { header: "STATE", cell: (j) => j.state },
            { header: "PRIORITY", cell: (j) => j.priority },
            { header: "ATTEMPTS", cell: (j) => `${j.attempts}/${j.maxAttempts}` },
            { header: "CREATED", cell: (j) => age(j.createdAt) },
          ],
          `no ${flags.state} jobs`,
        );
        if (page.nextCursor) console.error(`more: --cursor ${page.nextCursor}`);
      }),
    );

  inspectOptions(jobs.command("get").description("one job: payload, state, attempts, errors, result, logs").argument("<id>"))
    .option("--queue <name>", "the job's queue: name, or prefix:name (default: search every queue)")
    .action((id: string, flags: ByIdFlags) =>
      withInspector(flags, async (inspector) => {
        const job = await find(inspector, id, flags.queue);
        if (flags.json) return printJson(job);
        printJob(job);
      }),
    );

  const act = (name: "cancel" | "retry", description: string, done: string) =>
    inspectOptions(jobs.command(name).description(description).argument("<id>"))
      .option("--queue <name>", "the job's queue: name, or prefix:name (default: search every queue)")
      .action((id: string, flags: ByIdFlags) =>
        withInspector(flags, async (inspector) => {
          const job = await find(inspector, id, flags.queue);
          const result: ActionResult = await inspector[name]({ name: job.queue, prefix: job.prefix }, job.id);
          if (flags.json) printJson({ id: job.id, queue: job.queue, prefix: job.prefix, ...result });
          if (!result.changed) throw new CliError(`job ${job.id} of ${label(job)} is ${result.stateBefore}: nothing to ${name}`, 1);
          if (!flags.json) console.log(`job ${job.id} of ${label(job)} ${done}`);
        }),
      );
  act("cancel", "cancel a job that has not started", "cancelled");
  act("retry", "retry a dead job with fresh attempts, or run a delayed one now", "is waiting to run");
}

async function find(inspector: QueueInspector, id: string, queue?: string): Promise<JobDetail> {
  const job = await inspector.findJob(id, queue);
  if (!job) throw new CliError(`job ${id} not found${queue ? ` in queue ${queue}` : ""}`, 1, "E_NOT_FOUND");
  return job;
}

/** A job's queue as the CLI shows it: its name, or prefix:name outside the default prefix. */
function label(job: JobSummary): string {
  return queueLabel({ prefix: job.prefix, name: job.queue });
}

function printJob(job: JobDetail): void {
  const rows: Array<[string, string | number | undefined]> = [
    ["id", job.id],
    ["queue", job.queue],
    ["prefix", job.prefix],
    ["name", job.name],
    ["state", job.state],
    ["priority", job.priority],
    ["attempts", `${job.attempts}/${job.maxAttempts}`],
    ["created", job.createdAt.toISOString()],
    ["started", job.startedAt?.toISOString()],
    ["finished", job.finishedAt?.toISOString()],
    ["due", job.dueAt?.toISOString()],
    ["worker", job.workerId],
    ["payload", JSON.stringify(job.payload)],
    ["result", job.result === undefined ? undefined : JSON.stringify(job.result)],
    ["progress", job.progress === undefined ? undefined : JSON.stringify(job.progress)],
  ];
  // Every value is data from Redis: shown with its control characters escaped.
  for (const [key, value] of rows) if (value !== undefined) console.log(`${key.padEnd(9)} ${terminalText(String(value))}`);
  for (const e of job.errors) console.log(`error     attempt ${e.attempt}: ${terminalText(`${e.name}: ${e.message}`)}`);
  for (const line of job.logs) console.log(`log       ${terminalText(line)}`);
}
