/** `/stats`, `/workers`, `/health` (`/health/live`, `/health/ready`) and `/metrics`: the state of every queue and worker, for people and for Prometheus. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { redisHealthCheck } from "../redis-health.js";
import type { ApiContext } from "../api-context.js";
import { maskCredentials } from "../../redis/redis-url.js";

export function registerClusterRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/stats", async () => ({ queues: await ctx.inspector.stats() }));

  app.get("/workers", async () => ({ workers: await ctx.inspector.workers() }));

  // Public, for load balancers and probes: whether Redis answers, nothing more, within 1 s always.
  // `/health` and `/health/ready` (Kubernetes readinessProbe) are 503 while Redis is unreachable;
  // `/health/live` (livenessProbe) only says the process answers: an outage of Redis is no reason to
  // restart the server, which reconnects by itself.
  const redisHealth = redisHealthCheck(ctx.inspector.redis);
  const readiness = async (_request: FastifyRequest, reply: FastifyReply) => {
    const health = await redisHealth();
    if (health.ok) return { status: "ok" };
    return reply.status(503).send({ status: "unavailable", error: maskCredentials(health.reason) });
  };
  app.get("/health", { config: { scope: "public" } }, readiness);
  app.get("/health/ready", { config: { scope: "public" } }, readiness);
  app.get("/health/live", { config: { scope: "public" } }, async () => ({ status: "ok" }));

  app.get("/metrics", async (_request, reply) => {
    const text = await ctx.registry.metrics();
    return reply.type(ctx.registry.contentType).send(text);
  });
}
