/**
 * `/jobs`: enqueue a job by name (its payload checked by the job's generated codec), list jobs of a
 * state a page at a time (queue after queue, `nextCursor` to go on; `?name=` for one job type), read one, cancel it, retry it, change its priority. Job ids are per queue: `?queue=`
 * says which; without it the id is looked up in every queue.
 */
import type { FastifyInstance } from "fastify";
import { excerpt } from "../../errors.js";
import { ApiError } from "../api-error.js";
import { parse, requireJob, type ApiContext } from "../api-context.js";
import { EnqueueBody, JobListQuery, PriorityBody, QueueQuery } from "../request-schemas.js";

const admin = { config: { scope: "admin" } } as const;

export function registerJobRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post("/jobs", admin, async (request, reply) => {
    const body = parse(EnqueueBody, request.body, "request body");
    // Own entries only: a job named `__proto__` or `constructor` is unknown, not Object's.
    const definition = Object.hasOwn(ctx.definitions, body.name) ? ctx.definitions[body.name] : undefined;
    if (!definition) {
      throw new ApiError(400, `unknown job ${JSON.stringify(excerpt(body.name))}`, { known: Object.keys(ctx.definitions).sort() });
    }
    const { runAt, ...options } = body.options ?? {};
    const handle = await ctx.client.enqueue(definition, body.payload, { ...options, runAt: runAt === undefined ? undefined : new Date(runAt) });
    return reply.status(201).send({ id: handle.id, name: handle.name, queue: handle.queue, prefix: definition.queue.prefix });
  });

  app.get("/jobs", async (request) => {
    const query = parse(JobListQuery, request.query, "query");
    const page = await ctx.inspector.pageJobs({
      state: query.state ?? "waiting",
      queue: query.queue,
      name: query.name,
      prefix: query.prefix,
      limit: query.limit === undefined ? undefined : Number(query.limit),
      cursor: query.cursor,
    });
    return { jobs: page.jobs, nextCursor: page.nextCursor ?? null };
  });

  app.get<{ Params: { id: string } }>("/jobs/:id", async (request) => {
    return requireJob(ctx, request.params.id, parse(QueueQuery, request.query, "query"));
  });

  app.delete<{ Params: { id: string } }>("/jobs/:id", admin, async (request) => {
    const job = await requireJob(ctx, request.params.id, parse(QueueQuery, request.query, "query"));
    const result = await ctx.inspector.cancel({ name: job.queue, prefix: job.prefix }, job.id);
    if (!result.changed) throw new ApiError(409, `job ${job.id} is ${result.stateBefore}: only a job that has not started can be cancelled`, result);
    return { id: job.id, queue: job.queue, prefix: job.prefix, state: "cancelled" };
  });

  app.post<{ Params: { id: string } }>("/jobs/:id/retry", admin, async (request) => {
    const job = await requireJob(ctx, request.params.id, parse(QueueQuery, request.query, "query"));
    const result = await ctx.inspector.retry({ name: job.queue, prefix: job.prefix }, job.id);
    if (!result.changed) throw new ApiError(409, `job ${job.id} is ${result.stateBefore}: only a dead or delayed job can be retried`, result);
    return { id: job.id, queue: job.queue, prefix: job.prefix, state: "waiting" };
  });

  app.put<{ Params: { id: string } }>("/jobs/:id/priority", admin, async (request) => {
    const where = parse(QueueQuery, request.query, "query");
    const { priority } = parse(PriorityBody, request.body, "request body");
    const job = await requireJob(ctx, request.params.id, where);
    const result = await ctx.inspector.setPriority({ name: job.queue, prefix: job.prefix }, job.id, priority);
    if (!result.changed) throw new ApiError(409, `job ${job.id} is ${result.stateBefore}: only a job that has not started can change priority`, result);
    return { id: job.id, queue: job.queue, prefix: job.prefix, priority };
  });
}
