/**
 * The OpenAPI 3.1 document of the REST API, served at `/openapi.json`. Request schemas are the ones
 * request-schemas.ts enforces, response schemas the ones response-schemas.ts checks against the
 * routes' types; each job's payload and result come from the generated codecs, so the document is as
 * exact as the validation, and a client generator (openapi-typescript) types every response.
 */
import type { JobDefinition } from "../definition.js";
import { anyJobOf, componentSchemas, ref } from "./openapi-schemas.js";
import { NextCursor } from "./response-schemas.js";
import {
  DlqBulkBodySchema,
  DlqQuerySchema,
  EnqueueBodySchema,
  HistoryQuerySchema,
  EnqueueOptionsSchema,
  JobListQuerySchema,
  PriorityBodySchema,
} from "./request-schemas.js";

const json = (description: string, schema: unknown) => ({ description, content: { "application/json": { schema } } });
const ERROR = { $ref: "#/components/responses/Error" };
const QUEUE = {
  name: "queue",
  in: "query",
  required: false,
  schema: { type: "string" },
  description: "the job's queue (name, or prefix:name); without it every queue is searched",
};
const PREFIX = {
  name: "prefix",
  in: "query",
  required: false,
  schema: { type: "string" },
  description: "the job's queue's key prefix; without it every prefix is searched",
};
const ID = { name: "id", in: "path", required: true, schema: { type: "string" }, description: "the job's id" };

function queryParameters(schema: { properties: Record<string, unknown> }) {
  return Object.entries(schema.properties).map(([name, s]) => ({ name, in: "query", required: false, schema: s }));
}

export interface OpenApiOptions {
  /** Whether the server asks for bearer tokens; without them every operation is open (loopback only). */
  auth: boolean;
}

export function openApiDocument(definitions: Readonly<Record<string, JobDefinition<any, any>>>, { auth }: OpenApiOptions): Record<string, unknown> {
  const names = Object.keys(definitions).sort();
  const enqueueOne = (n: string) => ({
    type: "object",
    required: ["name", "payload"],
    additionalProperties: false,
    properties: { name: { type: "string", const: n }, payload: ref(`${n}Payload`), options: EnqueueOptionsSchema },
  });
  // Without job types the server knows none to enqueue (every POST /jobs is a 400), but says what it takes.
  const enqueue = names.length === 0 ? EnqueueBodySchema : names.length === 1 ? enqueueOne(names[0]) : { oneOf: names.map(enqueueOne) };
  const security = auth ? [{ bearer: [] }] : [];
  const denied = auth ? { 401: ERROR } : {};
  /** A reading operation: any token. */
  const read = (operationId: string, summary: string, ok: unknown, extra: Record<string, unknown> = {}, errors: Record<string, unknown> = {}) => ({
    operationId,
    summary,
    tags: ["read"],
    security,
    ...extra,
    responses: { 200: json(summary, ok), 400: ERROR, ...denied, ...errors },
  });
  /** A changing operation: the admin token. */
  const write = (operationId: string, summary: string, ok: unknown, extra: Record<string, unknown> = {}) => ({
    operationId,
    summary,
    tags: ["admin"],
    security,
    ...extra,
    responses: { 200: json(summary, ok), 400: ERROR, ...denied, ...(auth ? { 403: ERROR } : {}), 404: ERROR, 409: ERROR },
  });
  const byId = { parameters: [ID, QUEUE, PREFIX] };
  return {
    openapi: "3.1.0",
    info: {
      title: "taskq",
      version: "1",
      description:
        "Queues, jobs, workers and the dead-letter queue of taskq. Bearer tokens: TASKQ_API_READ_TOKEN reads, TASKQ_API_TOKEN does everything; without a token configured the server takes none and listens on loopback only.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "the taskq serve instance this document came from" }],
    tags: [
      { name: "read", description: "reading queues, jobs and workers (the read or the admin token)" },
      { name: "admin", description: "changing jobs and schedules (the admin token)" },
      { name: "public", description: "open to anyone, for load balancers and client generators" },
    ],
    paths: {
      "/jobs": {
        post: {
          ...write("enqueueJob", "enqueue a job by name", ref("Enqueued"), {
            requestBody: { required: true, content: { "application/json": { schema: enqueue } } },
          }),
          responses: { 201: json("the job's id, name and queue", ref("Enqueued")), 400: ERROR, ...denied, ...(auth ? { 403: ERROR } : {}) },
        },
        get: read("listJobs", "list jobs of a state", ref("JobList"), { parameters: queryParameters(JobListQuerySchema) }),
      },
      "/jobs/{id}": {
        get: read("getJob", "a job: payload, state, attempts, errors, result, logs, timestamps", anyJobOf(definitions, "JobDetail"), byId, {
          404: ERROR,
          409: ERROR,
        }),
        delete: write("cancelJob", "cancel a job that has not started", ref("Cancelled"), byId),
      },
      "/jobs/{id}/retry": { post: write("retryJob", "retry a dead job, or run a delayed one now", ref("Retried"), byId) },
      "/jobs/{id}/priority": {
        put: write("setJobPriority", "change the priority of a job that has not started", ref("PriorityChanged"), {
          ...byId,
          requestBody: { required: true, content: { "application/json": { schema: PriorityBodySchema } } },
        }),
      },
      "/stats": { get: read("getStats", "counts by state of every queue, and its workers", object("queues", { type: "array", items: ref("QueueStats") })) },
      "/stats/history": {
        get: read("getHistory", "jobs completed, attempts failed and jobs dead-lettered per minute over the last hour, per queue", ref("JobHistory"), {
          parameters: queryParameters(HistoryQuerySchema),
        }),
      },
      "/workers": {
        get: read("listWorkers", "live and dead workers with the jobs they hold", object("workers", { type: "array", items: ref("WorkerStatus") })),
      },
      "/dlq": {
        get: read(
          "listDeadJobs",
          "dead jobs of every queue, newest death first, a page at a time",
          {
            type: "object",
            required: ["jobs", "nextCursor"],
            properties: { jobs: { type: "array", items: anyJobOf(definitions, "DeadJob") }, nextCursor: NextCursor },
          },
          { parameters: queryParameters(DlqQuerySchema) },
        ),
      },
      "/dlq/retry": {
        post: write("retryDeadJobs", "retry the dead jobs a filter matches (queue, job name), oldest death first, at most 1000 per call", ref("BulkResult"), {
          requestBody: { required: false, content: { "application/json": { schema: DlqBulkBodySchema } } },
        }),
      },
      "/dlq/purge": {
        post: write(
          "purgeDeadJobs",
          "purge the dead jobs a filter matches (queue, job name) for good, oldest death first, at most 1000 per call",
          ref("BulkResult"),
          {
            requestBody: { required: false, content: { "application/json": { schema: DlqBulkBodySchema } } },
          },
        ),
      },
      "/dlq/{id}/retry": { post: write("retryDeadJob", "retry a dead job with fresh attempts", ref("Retried"), byId) },
      "/dlq/{id}": { delete: write("purgeDeadJob", "purge a dead job for good", ref("Purged"), byId) },
      "/schedules": { get: read("listSchedules", "every schedule with its next firing", object("schedules", { type: "array", items: ref("Schedule") })) },
      "/schedules/{id}": { delete: write("removeSchedule", "remove a schedule", ref("Removed"), byId) },
      "/metrics": {
        get: {
          operationId: "getMetrics",
          summary: "Prometheus metrics",
          tags: ["read"],
          security,
          responses: { 200: { description: "the text exposition format", content: { "text/plain": { schema: { type: "string" } } } }, 400: ERROR, ...denied },
        },
      },
      "/health": { get: readiness("getHealth", "whether Redis answers (the same as /health/ready)") },
      "/health/ready": { get: readiness("getReadiness", "readiness probe: 503 within 1 s while Redis does not answer") },
      "/health/live": {
        get: {
          operationId: "getLiveness",
          summary: "liveness probe: the process answers, whatever Redis does",
          tags: ["public"],
          security: [],
          responses: { 200: json("the process answers", ref("Health")), 400: ERROR },
        },
      },
      "/openapi.json": {
        get: {
          operationId: "getOpenApiDocument",
          summary: "this document",
          tags: ["public"],
          security: [],
          responses: { 200: json("the OpenAPI document", { type: "object", additionalProperties: true }), 400: ERROR },
        },
      },
    },
    components: {
      schemas: componentSchemas(definitions),
      ...(auth
        ? { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "TASKQ_API_READ_TOKEN to read, TASKQ_API_TOKEN for everything" } } }
        : {}),
      responses: { Error: json("an error: `error` for a person, `details` for a program", ref("Error")) },
    },
  };
}

/** A readiness operation: public, 200 while Redis answers, 503 (with the reason) while it does not. */
function readiness(operationId: string, summary: string) {
  return {
    operationId,
    summary,
    tags: ["public"],
    security: [],
    responses: { 200: json("Redis answers", ref("Health")), 400: ERROR, 503: json("Redis does not answer", ref("Health")) },
  };
}

/** `{ [field]: value }`, the one field required. */
function object(field: string, value: unknown) {
  return { type: "object", required: [field], properties: { [field]: value } };
}
