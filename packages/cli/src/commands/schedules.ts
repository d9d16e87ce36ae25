/** `taskq schedules list|remove`: every queue's schedules with their next firing; remove one by id. */
import type { Command } from "commander";
import { queueLabel } from "@taskq/runtime/admin";
import { CliError } from "../cli-error.js";
import { inspectOptions, withInspector, type InspectFlags } from "../inspector-options.js";
import { printJson, printTable } from "../output.js";

export function registerSchedules(program: Command): void {
  const schedules = program.command("schedules").description("list and remove schedules");

  inspectOptions(schedules.command("list").description("every schedule with its next firing")).action((flags: InspectFlags) =>
    withInspector(flags, async (inspector) => {
      const list = await inspector.schedules();
      if (flags.json) return printJson({ schedules: list });
      printTable(
        list,
        [
          { header: "ID", cell: (s) => s.id },
          { header: "QUEUE", cell: (s) => queueLabel({ prefix: s.prefix, name: s.queue }) },
          { header: "JOB", cell: (s) => s.name },
          { header: "SCHEDULE", cell: (s) => JSON.stringify(s.schedule) },
          { header: "NEXT", cell: (s) => s.nextAt?.toISOString() ?? "done" },
          { header: "FIRED", cell: (s) => String(s.fired) },
        ],
        "no schedules",
      );
    }),
  );

  inspectOptions(schedules.command("remove").description("remove a schedule; the jobs it enqueued stay").argument("<id>"))
    .option("--queue <name>", "the schedule's queue: name, or prefix:name (default: search every queue)")
    .action((id: string, flags: InspectFlags & { queue?: string }) =>
      withInspector(flags, async (inspector) => {
        const owners = await inspector.findSchedules(id, { queue: flags.queue, prefix: flags.prefix });
        if (owners.length === 0) throw new CliError(`schedule ${id} not found`, 1);
        const labels = owners.map((s) => queueLabel({ prefix: s.prefix, name: s.queue }));
        if (owners.length > 1) throw new CliError(`schedule ${id} exists in queues ${labels.join(", ")}: pass --queue prefix:name`, 1);
        const [owner] = owners;
        await inspector.removeSchedule({ name: owner.queue, prefix: owner.prefix }, id);
        if (flags.json) printJson({ id, queue: owner.queue, prefix: owner.prefix, removed: true });
        else console.log(`removed schedule ${id} of ${labels[0]}`);
      }),
    );
}
