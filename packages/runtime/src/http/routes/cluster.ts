/** `/stats`, `/workers`, `/health` and `/metrics`: the state of every queue and worker, for people and for Prometheus. */
import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../api-context.js";
import { maskCredentials } from "../../redis/redis-url.js";

export function registerClusterRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/stats", async () => ({ queues: await ctx.inspector.stats() }));

  app.get("/workers", async () => ({ workers: await ctx.inspector.workers() }));

  // Public, for load balancers: says whether Redis answers, nothing more.
  app.get("/health", { config: { scope: "public" } }, async (_request, reply) => {
    try {
      await ctx.inspector.redis.ping();
      return { status: "ok" };
    } catch (error) {
      return reply.status(503).send({ status: "unavailable", error: maskCredentials((error as Error).message) });
    }
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await ctx.registry.metrics();
    return reply.type(ctx.registry.contentType).send(text);
  });
}
