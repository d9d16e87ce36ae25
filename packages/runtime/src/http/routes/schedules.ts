/** `/schedules`: every queue's schedules with their next firing; remove one by id (`?queue=prefix:name` when the id is in several queues). */
import type { FastifyInstance } from "fastify";
import { excerpt } from "../../errors.js";
import { queueLabel } from "../../queue-definition.js";
import { ApiError } from "../api-error.js";
import { parse, type ApiContext } from "../api-context.js";
import { QueueQuery } from "../request-schemas.js";

export function registerScheduleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/schedules", async () => ({ schedules: await ctx.inspector.schedules() }));

  app.delete<{ Params: { id: string } }>("/schedules/:id", { config: { scope: "admin" } }, async (request) => {
    const { queue, prefix } = parse(QueueQuery, request.query, "query");
    const id = request.params.id;
    const owners = await ctx.inspector.findSchedules(id, { queue, prefix });
    if (owners.length === 0) {
      const place = queue ? ` in queue ${excerpt(prefix ? `${prefix}:${queue}` : queue)}` : prefix ? ` under prefix ${excerpt(prefix)}` : "";
      throw new ApiError(404, `schedule ${excerpt(id)} not found${place}`, {
        id: excerpt(id),
        queue: queue && excerpt(queue),
        prefix: prefix && excerpt(prefix),
      });
    }
    if (owners.length > 1) {
      const queues = owners.map((s) => queueLabel({ prefix: s.prefix, name: s.queue }));
      throw new ApiError(409, `schedule ${id} exists in queues ${queues.join(", ")}: say which queue (prefix:name)`, { queues });
    }
    const [owner] = owners;
    await ctx.inspector.removeSchedule({ name: owner.queue, prefix: owner.prefix }, owner.id);
    return { id: owner.id, queue: owner.queue, prefix: owner.prefix, removed: true };
  });
}
