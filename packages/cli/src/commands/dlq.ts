/**
 * `taskq dlq list|retry|purge`: the dead-letter queues. `list` shows one page, newest death first
 * (`--limit`, `--cursor`). Retry and purge take ids, `--name <job>` or `--all` (one is required, so a
 * bare `purge` never empties everything by accident), and work in batches of 1 000 (ids with a
 * progress bar), so retrying 100 000 dead jobs neither blocks Redis nor holds them all in memory.
 */
import type { Command } from "commander";
import type { DeadLetterQueue } from "@taskq/runtime";
import { queueLabel, type QueueInspector } from "@taskq/runtime/admin";
import { CliError } from "../cli-error.js";
import { inspectOptions, withInspector, type InspectFlags } from "../inspector-options.js";
import { age, pageSize, printJson, printTable, progress } from "../output.js";

interface DlqFlags extends InspectFlags {
  queue?: string;
  name?: string;
  all?: boolean;
  limit: string;
  cursor?: string;
}

/** Ids per script call: small enough that one call never holds Redis for long. */
const BATCH = 1_000;

export function registerDlq(program: Command): void {
  const dlq = program.command("dlq").description("list, retry and purge dead jobs");

  inspectOptions(dlq.command("list").description("dead jobs, a page at a time: queue after queue, newest death first"))
    .option("--queue <name>", "only this queue: name, or prefix:name (default: every queue)")
    .option("--name <job>", "only jobs of this name")
    .option("--limit <n>", "at most n jobs, 1 to 1000", "50")
    .option("--cursor <cursor>", "go on from where the previous page ended (its nextCursor)")
    .action((flags: DlqFlags) =>
      withInspector(flags, async (inspector) => {
        const page = await inspector.pageDeadJobs({ queue: flags.queue, name: flags.name, limit: pageSize(flags.limit), cursor: flags.cursor });
        if (flags.json) return printJson({ jobs: page.jobs, nextCursor: page.nextCursor ?? null });
        printTable(
          page.jobs,
          [
            { header: "ID", cell: (j) => j.id },
            { header: "QUEUE", cell: (j) => queueLabel({ prefix: j.prefix, name: j.queue }) },
            { header: "NAME", cell: (j) => j.name },
            { header: "ATTEMPTS", cell: (j) => String(j.attempts) },
            { header: "DIED", cell: (j) => age(j.diedAt) },
            { header: "LAST ERROR", cell: (j) => (j.errors.at(-1)?.message ?? "-").slice(0, 80) },
          ],
          "the dead-letter queue is empty",
        );
        if (page.nextCursor) console.error(`more: --cursor ${page.nextCursor}`);
      }),
    );

  for (const action of ["retry", "purge"] as const) {
    inspectOptions(
      dlq
        .command(action)
        .description(action === "retry" ? "put dead jobs back to work with fresh attempts" : "delete dead jobs for good")
        .argument("[ids...]"),
    )
      .option("--queue <name>", "only this queue: name, or prefix:name (default: every queue)")
      .option("--name <job>", "every dead job of this name")
      .option("--all", "every dead job")
      .action((ids: string[], flags: DlqFlags) =>
        withInspector(flags, async (inspector) => {
          if (ids.length === 0 && !flags.name && !flags.all) throw new CliError(`say which dead jobs to ${action}: ids, --name <job> or --all`, 2);
          let done = 0;
          for (const dead of await deadLetterQueues(inspector, flags.queue)) {
            // By name or all: the dead-letter queue works through its own set a batch at a time.
            if (ids.length === 0) {
              done += await dead[action]({ name: flags.name });
              continue;
            }
            const targets = ids;
            const bar = progress(`${action} ${queueLabel({ prefix: dead.prefix, name: dead.queue })}`, targets.length);
            for (let i = 0; i < targets.length; i += BATCH) {
              done += await dead[action](targets.slice(i, i + BATCH));
              bar.tick(Math.min(targets.length, i + BATCH));
            }
            bar.end();
          }
          const past = action === "retry" ? "retried" : "purged";
          // Ids that name no dead job are an error, said once; when none did, there is no count to print.
          const where = flags.queue ? `the dead-letter queue of ${flags.queue}` : "a dead-letter queue";
          if (ids.length > 0 && done === 0) throw new CliError(`none of ${excerpt(ids)} is in ${where}: nothing ${past}`, 1, "E_NOT_FOUND");
          if (flags.json) printJson({ [past]: done });
          else console.log(`${past} ${done} dead job(s)`);
          if (done < ids.length) throw new CliError(`${ids.length - done} of the ${ids.length} ids given are not in ${where}`, 1, "E_NOT_FOUND");
        }),
      );
  }
}

/** Ids as a message lists them: the first ten, then how many more. */
function excerpt(ids: string[]): string {
  return ids.length <= 10 ? ids.join(", ") : `${ids.slice(0, 10).join(", ")} and ${ids.length - 10} more`;
}

/** One queue's dead-letter queue, or every queue's: each queue by prefix and name, so `mail` under two prefixes is two. */
async function deadLetterQueues(inspector: QueueInspector, queue?: string): Promise<DeadLetterQueue[]> {
  const queues = queue ? [queue] : await inspector.queues();
  return Promise.all(queues.map((q) => inspector.deadLetterQueue(q)));
}
