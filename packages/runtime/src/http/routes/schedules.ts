/** `/schedules`: every queue's schedules with their next firing; remove one by id. */
import type { FastifyInstance } from "fastify";
import { excerpt } from "../../errors.js";
import { ApiError } from "../api-error.js";
import { parse, type ApiContext } from "../api-context.js";
import { QueueQuery } from "../request-schemas.js";
import type { ScheduleInfo } from "../../scheduler/schedule-store.js";

export function registerScheduleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/schedules", async () => ({ schedules: await ctx.inspector.schedules() }));

  app.delete<{ Params: { id: string } }>("/schedules/:id", { config: { scope: "admin" } }, async (request) => {
    const { queue } = parse(QueueQuery, request.query, "query");
    const owned = (schedules: ScheduleInfo[]) => schedules.filter((s) => s.id === request.params.id && (!queue || s.queue === queue));
    let owners = owned(await ctx.inspector.schedules());
    // Queues are discovered once every few seconds: a schedule of a queue made since is looked for once more.
    if (owners.length === 0) owners = owned(await ctx.inspector.schedules({ rediscover: true }));
    if (owners.length === 0) throw new ApiError(404, `schedule ${excerpt(request.params.id)} not found`, { id: excerpt(request.params.id), queue: queue && excerpt(queue) });
    if (owners.length > 1) throw new ApiError(409, `schedule ${request.params.id} exists in queues ${owners.map((s) => s.queue).join(", ")}: say which queue`, { queues: owners.map((s) => s.queue) });
    await ctx.inspector.removeSchedule(owners[0].queue, owners[0].id);
    return { id: owners[0].id, queue: owners[0].queue, removed: true };
  });
}
