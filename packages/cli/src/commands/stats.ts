/** `taskq stats`: every queue's jobs by state, and its workers. */
import type { Command } from "commander";
import { queueLabel } from "@taskq/runtime/admin";
import { inspectOptions, withInspector, type InspectFlags } from "../inspector-options.js";
import { printJson, printTable } from "../output.js";

export function registerStats(program: Command): void {
  inspectOptions(program.command("stats").description("jobs by state and workers of every queue")).action((flags: InspectFlags) =>
    withInspector(flags, async (inspector) => {
      const queues = await inspector.stats();
      if (flags.json) return printJson({ queues });
      printTable(
        queues,
        [
          { header: "QUEUE", cell: (q) => queueLabel({ prefix: q.prefix, name: q.queue }) },
          { header: "WAITING", cell: (q) => String(q.waiting) },
          { header: "BLOCKED", cell: (q) => String(q.blocked) },
          { header: "DELAYED", cell: (q) => String(q.delayed) },
          { header: "ACTIVE", cell: (q) => String(q.active) },
          { header: "COMPLETED", cell: (q) => String(q.completed) },
          { header: "DEAD", cell: (q) => String(q.dead) },
          { header: "WORKERS", cell: (q) => `${q.workers.live} live${q.workers.dead ? `, ${q.workers.dead} dead` : ""}` },
          { header: "BUSY", cell: (q) => `${Math.round(q.busyRatio * 100)}%` },
        ],
        "no queues found",
      );
    }),
  );
}
