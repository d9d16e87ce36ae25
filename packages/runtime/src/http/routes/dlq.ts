/**
 * `/dlq`: the dead-letter queues of every queue (or `?queue=`), newest death last; retry or purge one
 * dead job by id. Bulk retry and purge (by job name, or all) are the CLI's `dlq retry|purge`.
 */
import type { FastifyInstance } from "fastify";
import { ApiError } from "../api-error.js";
import { parse, requireJob, type ApiContext } from "../api-context.js";
import { DlqQuery, QueueQuery } from "../request-schemas.js";

const admin = { config: { scope: "admin" } } as const;

export function registerDlqRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/dlq", async (request) => {
    const query = parse(DlqQuery, request.query, "query");
    const queues = query.queue ? [query.queue] : (await ctx.inspector.queues()).map((q) => q.name);
    const lists = await Promise.all(
      queues.map(async (queue) => (await ctx.inspector.deadLetterQueue(queue)).list({ name: query.name, limit: query.limit ? Number(query.limit) : undefined })),
    );
    return { jobs: lists.flat().map((job) => ({ ...job, payload: parsePayload(job.payload) })) };
  });

  const deadJob = async (id: string, queue: string | undefined) => {
    const job = await requireJob(ctx, id, queue);
    if (job.state !== "dead") throw new ApiError(409, `job ${id} is ${job.state}, not in the dead-letter queue`, { id, queue: job.queue, state: job.state });
    return job;
  };

  app.post<{ Params: { id: string } }>("/dlq/:id/retry", admin, async (request) => {
    const job = await deadJob(request.params.id, parse(QueueQuery, request.query, "query").queue);
    await (await ctx.inspector.deadLetterQueue(job.queue)).retry([job.id]);
    return { id: job.id, queue: job.queue, state: "waiting" };
  });

  app.delete<{ Params: { id: string } }>("/dlq/:id", admin, async (request) => {
    const job = await deadJob(request.params.id, parse(QueueQuery, request.query, "query").queue);
    await (await ctx.inspector.deadLetterQueue(job.queue)).purge([job.id]);
    return { id: job.id, queue: job.queue, purged: true };
  });
}

function parsePayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
