/** `taskq schedules list|remove`: every queue's schedules with their next firing; remove one by id. */
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { inspectOptions, withInspector, type InspectFlags } from "../inspector-options.js";
import { printJson, printTable } from "../output.js";

export function registerSchedules(program: Command): void {
  const schedules = program.command("schedules").description("list and remove schedules");

  inspectOptions(schedules.command("list").description("every schedule with its next firing")).action((flags: InspectFlags) =>
    withInspector(flags, async (inspector) => {
      const list = await inspector.schedules();
      if (flags.json) return printJson({ schedules: list });
      printTable(list, [
        { header: "ID", cell: (s) => s.id },
        { header: "QUEUE", cell: (s) => s.queue },
        { header: "JOB", cell: (s) => s.name },
        { header: "SCHEDULE", cell: (s) => JSON.stringify(s.schedule) },
        { header: "NEXT", cell: (s) => s.nextAt?.toISOString() ?? "done" },
        { header: "FIRED", cell: (s) => String(s.fired) },
      ], "no schedules");
    }),
  );

  inspectOptions(schedules.command("remove").description("remove a schedule; the jobs it enqueued stay").argument("<id>"))
    .option("--queue <name>", "the schedule's queue (default: search every queue)")
    .action((id: string, flags: InspectFlags & { queue?: string }) =>
      withInspector(flags, async (inspector) => {
        const owners = (await inspector.schedules()).filter((s) => s.id === id && (!flags.queue || s.queue === flags.queue));
        if (owners.length === 0) throw new CliError(`schedule ${id} not found`, 1);
        if (owners.length > 1) throw new CliError(`schedule ${id} exists in queues ${owners.map((s) => s.queue).join(", ")}: pass --queue`, 1);
        await inspector.removeSchedule(owners[0].queue, id);
        if (flags.json) printJson({ id, queue: owners[0].queue, removed: true });
        else console.log(`removed schedule ${id} of ${owners[0].queue}`);
      }),
    );
}
