/** `/stats/history`: jobs completed, attempts failed and jobs dead-lettered per minute over the last hour, per queue, for the dashboard's charts. */
import type { FastifyInstance } from "fastify";
import { parse, type ApiContext } from "../api-context.js";
import { HistoryQuery } from "../request-schemas.js";

export function registerHistoryRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/stats/history", async (request) => {
    const query = parse(HistoryQuery, request.query, "query");
    return ctx.inspector.history({ queue: query.queue, minutes: query.minutes === undefined ? undefined : Number(query.minutes) });
  });
}
