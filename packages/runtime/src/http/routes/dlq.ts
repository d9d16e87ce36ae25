/**
 * `/dlq`: the dead-letter queues of every queue (or `?queue=`), a page at a time, queue after queue
 * and newest death first in each (`nextCursor` to go on); retry or purge one dead job by id. Bulk retry and purge (by job name, or all) are the CLI's `dlq retry|purge`.
 */
import type { FastifyInstance } from "fastify";
import { ApiError } from "../api-error.js";
import { parse, requireJob, type ApiContext } from "../api-context.js";
import { DlqQuery, QueueQuery } from "../request-schemas.js";

const admin = { config: { scope: "admin" } } as const;

export function registerDlqRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/dlq", async (request) => {
    const query = parse(DlqQuery, request.query, "query");
    const page = await ctx.inspector.pageDeadJobs({
      queue: query.queue,
      prefix: query.prefix,
      name: query.name,
      limit: query.limit === undefined ? undefined : Number(query.limit),
      cursor: query.cursor,
    });
    return { jobs: page.jobs.map((job) => ({ ...job, payload: parsePayload(job.payload) })), nextCursor: page.nextCursor ?? null };
  });

  const deadJob = async (id: string, where: { queue?: string; prefix?: string }) => {
    const job = await requireJob(ctx, id, where);
    if (job.state !== "dead")
      throw new ApiError(409, `job ${id} is ${job.state}, not in the dead-letter queue`, { id, queue: job.queue, prefix: job.prefix, state: job.state });
    return job;
  };

  app.post<{ Params: { id: string } }>("/dlq/:id/retry", admin, async (request) => {
    const job = await deadJob(request.params.id, parse(QueueQuery, request.query, "query"));
    await (await ctx.inspector.deadLetterQueue({ name: job.queue, prefix: job.prefix })).retry([job.id]);
    return { id: job.id, queue: job.queue, prefix: job.prefix, state: "waiting" };
  });

  app.delete<{ Params: { id: string } }>("/dlq/:id", admin, async (request) => {
    const job = await deadJob(request.params.id, parse(QueueQuery, request.query, "query"));
    await (await ctx.inspector.deadLetterQueue({ name: job.queue, prefix: job.prefix })).purge([job.id]);
    return { id: job.id, queue: job.queue, prefix: job.prefix, purged: true };
  });
}

function parsePayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
