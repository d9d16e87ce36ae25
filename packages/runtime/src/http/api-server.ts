// The REST API of `taskq serve` (createApiServer).
import type { FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { QueueInspector } from "../admin/queue-inspector.js";
import { Client } from "../client/client.js";
import type { JobDefinition } from "../definition.js";
import { ConfigError, excerpt } from "../errors.js";
import { instrumentClient } from "../metrics/client-metrics.js";
import { registerClusterMetrics } from "../metrics/cluster-metrics.js";
import { createJobMetrics } from "../metrics/job-metrics.js";
import type { ConnectionOptions, RedisClient } from "../redis/connection.js";
import { sendError } from "./api-error.js";
import { authorize, hasTokens, type ApiTokens } from "./auth.js";
import { registerJsonBody } from "./json-body.js";
import { guardLoopback, requireJsonWrites } from "./request-guard.js";
import { registerDashboard } from "./dashboard-route.js";
import { openApiDocument } from "./openapi.js";
import { registerClusterRoutes } from "./routes/cluster.js";
import { registerDlqRoutes } from "./routes/dlq.js";
import { registerDlqBulkRoutes } from "./routes/dlq-bulk.js";
import { registerHistoryRoutes } from "./routes/history.js";
import { registerJobRoutes } from "./routes/jobs.js";
import { registerScheduleRoutes } from "./routes/schedules.js";

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  /** Where Redis is. (Default: `TASKQ_REDIS_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379`) */
  connection?: ConnectionOptions | RedisClient;
  /** The generated `definitions` (from client.ts): `POST /jobs` enqueues only these, validated by their codecs. (Default: none; `POST /jobs` answers 400) */
  definitions?: Readonly<Record<string, JobDefinition<any, any>>>;
  /** Only queues under this key prefix. (Default: every prefix) */
  prefix?: string;
  /** Queues to show. (Default: every queue found in Redis) */
  queues?: Array<{
    /** The queue's name. */
    name: string;
    /** Its Redis key prefix. (Default: "taskq") */
    prefix?: string;
    /** Its number of shards. (Default: 1) */
    shards?: number;
  }>;
  /** Bearer tokens. (Default: `TASKQ_API_TOKEN` and `TASKQ_API_READ_TOKEN` from the environment) */
  tokens?: ApiTokens;
  /** Silence after which a worker is shown dead. (Default: 10 000 ms) */
  deadAfterMs?: number;
  /** Longest `POST /jobs` waits for an unreachable Redis before it answers 503 (see `ClientOptions.redisTimeoutMs`). (Default: 5 000 ms) */
  redisTimeoutMs?: number;
}

/** A REST server made by {@link createApiServer}, not yet listening. */
export interface ApiServer {
  /** The Fastify app, for adding routes or hooks before `listen()`. */
  readonly app: FastifyInstance;
  /** The inspector every route reads through. */
  readonly inspector: QueueInspector;
  /** Listens; returns the bound port. `host` defaults to 127.0.0.1 without tokens and 0.0.0.0 with them. */
  listen(options?: { port?: number; host?: string }): Promise<number>;
  /** Stops listening and closes the connections the server made (never a client passed in). */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * The REST API of `taskq serve`: jobs, stats, workers, the dead-letter queue, Prometheus metrics and
 * the dashboard, over one Redis connection. Without any token configured the API has no
 * authentication, so `listen()` then refuses any interface but loopback.
 *
 * Fastify is loaded when a server is made, not when @taskq/runtime is imported: worker processes,
 * which import the runtime too, do not pay for an HTTP framework they never use.
 */
export async function createApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const { default: Fastify } = await import("fastify");
  const tokens = options.tokens ?? { admin: process.env.TASKQ_API_TOKEN || undefined, read: process.env.TASKQ_API_READ_TOKEN || undefined };
  const inspector = new QueueInspector({ connection: options.connection, prefix: options.prefix, queues: options.queues, deadAfterMs: options.deadAfterMs });
  const registry = new Registry();
  const definitions = options.definitions ?? {};
  const defined = Object.values(definitions);
  const client = instrumentClient(new Client({ connection: inspector.redis, redisTimeoutMs: options.redisTimeoutMs }), createJobMetrics(registry), {
    jobs: defined.map((d) => d.name),
    queues: defined.map((d) => d.queue.name),
  });
  registerClusterMetrics(registry, inspector);
  const document = openApiDocument(definitions, { auth: hasTokens(tokens) });

  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  app.setErrorHandler(sendError);
  app.setNotFoundHandler(
    (request, reply) => void reply.status(404).send({ error: `no route ${request.method} ${excerpt(request.url.split("?")[0])}`, details: {} }),
  );
  registerJsonBody(app);
  if (!hasTokens(tokens)) app.addHook("onRequest", guardLoopback);
  app.addHook("onRequest", authorize(tokens));
  app.addHook("onRequest", requireJsonWrites);
  const context = { inspector, client, definitions, registry };
  registerJobRoutes(app, context);
  registerDlqRoutes(app, context);
  registerDlqBulkRoutes(app, context);
  registerHistoryRoutes(app, context);
  registerClusterRoutes(app, context);
  registerScheduleRoutes(app, context);
  registerDashboard(app);
  app.get("/openapi.json", { config: { scope: "public" } }, async () => document);

  return {
    app,
    inspector,
    async listen({ port = 4000, host } = {}) {
      const bind = host ?? (hasTokens(tokens) ? "0.0.0.0" : "127.0.0.1");
      if (!hasTokens(tokens) && !LOOPBACK.has(bind)) {
        throw new ConfigError(`refusing to listen on ${bind} without a token: set TASKQ_API_TOKEN (and TASKQ_API_READ_TOKEN), or listen on 127.0.0.1`);
      }
      await app.listen({ port, host: bind });
      const address = app.server.address();
      return typeof address === "object" && address ? address.port : port;
    },
    async close() {
      await app.close();
      await client.close();
      await inspector.close();
    },
  };
}
