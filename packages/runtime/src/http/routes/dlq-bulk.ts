/**
 * `POST /dlq/retry` and `POST /dlq/purge`: the dead jobs a filter matches (a queue, a job name, or
 * both, or all), oldest death first, at most MAX_BULK_ITEMS per call so one request never holds Redis
 * or the server for long; `more` says the limit was reached and the caller (the dashboard, after its
 * confirmation) calls again for the rest. Queue after queue in prefix and name order.
 */
import type { FastifyInstance } from "fastify";
import { parse, type ApiContext } from "../api-context.js";
import { DeadLetterQueue } from "../../client/dead-letter-queue.js";
import { compareQueues } from "../../admin/page-cursor.js";
import { DlqBulkBody, MAX_BULK_ITEMS } from "../request-schemas.js";

const admin = { config: { scope: "admin" } } as const;

export function registerDlqBulkRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const bulk = (action: "retry" | "purge") => async (request: { body: unknown }) => {
    const body = parse(DlqBulkBody, request.body, "request body");
    const limit = body.limit ?? MAX_BULK_ITEMS;
    const queues = body.queue === undefined ? [...(await ctx.inspector.queues())].sort(compareQueues) : [await ctx.inspector.queue(body.queue)];
    let count = 0;
    for (const queue of queues) {
      if (count >= limit) break;
      // By its ref, not its name: queues of the same name under other prefixes are other queues.
      const dlq = new DeadLetterQueue(ctx.inspector.redis, queue.name, queue.prefix, queue.shards);
      const filter = { name: body.name, limit: limit - count };
      count += action === "retry" ? await dlq.retry(filter) : await dlq.purge(filter);
    }
    return { count, more: count >= limit };
  };
  app.post("/dlq/retry", admin, bulk("retry"));
  app.post("/dlq/purge", admin, bulk("purge"));
}
