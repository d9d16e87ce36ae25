/** `taskq workers`: live and dead workers, their heartbeats and the jobs they hold. */
import type { Command } from "commander";
import { inspectOptions, withInspector, type InspectFlags } from "../inspector-options.js";
import { age, printJson, printTable } from "../output.js";

export function registerWorkers(program: Command): void {
  inspectOptions(program.command("workers").description("live and dead workers with their heartbeats and jobs")).action((flags: InspectFlags) =>
    withInspector(flags, async (inspector) => {
      const workers = await inspector.workers();
      if (flags.json) return printJson({ workers });
      printTable(
        workers,
        [
          { header: "ID", cell: (w) => w.id },
          { header: "STATE", cell: (w) => w.state },
          { header: "QUEUES", cell: (w) => w.queues.map((q) => `${q}(${w.concurrency[q] ?? 0})`).join(",") },
          {
            header: "JOBS",
            cell: (w) =>
              Object.entries(w.jobs)
                .flatMap(([q, ids]) => ids.map((id) => `${q}/${id}`))
                .join(",") || "-",
          },
          { header: "HEARTBEAT", cell: (w) => age(w.lastHeartbeat) },
          { header: "STARTED", cell: (w) => age(w.startedAt) },
        ],
        "no workers",
      );
    }),
  );
}
