/**
 * The OpenAPI 3.1 document of the REST API, served at `/openapi.json`. Request schemas are the ones
 * request-schemas.ts enforces; `POST /jobs` lists each job's payload schema from the generated codecs,
 * so the document is as exact as the validation.
 */
import type { JobDefinition } from "../definition.js";
import { DlqQuerySchema, EnqueueOptionsSchema, JobListQuerySchema, PriorityBodySchema } from "./request-schemas.js";

const ERROR = { $ref: "#/components/responses/Error" };
const OK = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const QUEUE = { name: "queue", in: "query", required: false, schema: { type: "string" }, description: "the job's queue; without it every queue is searched" };
const ID = { name: "id", in: "path", required: true, schema: { type: "string" } };

function queryParameters(schema: { properties: Record<string, unknown> }) {
  return Object.entries(schema.properties).map(([name, s]) => ({ name, in: "query", required: false, schema: s }));
}

export function openApiDocument(definitions: Readonly<Record<string, JobDefinition<any, any>>>): Record<string, unknown> {
  const names = Object.keys(definitions).sort();
  const payloads = Object.fromEntries(names.map((n) => [`${n}Payload`, definitions[n].payload.schema]));
  const enqueue = {
    oneOf: names.map((n) => ({
      type: "object",
      required: ["name", "payload"],
      additionalProperties: false,
      properties: { name: { const: n }, payload: { $ref: `#/components/schemas/${n}Payload` }, options: EnqueueOptionsSchema },
    })),
  };
  const read = (summary: string, extra: Record<string, unknown> = {}) => ({ summary, security: [{ bearer: [] }], responses: { 200: OK(summary), 401: ERROR }, ...extra });
  const write = (summary: string, extra: Record<string, unknown> = {}) => ({
    summary,
    security: [{ bearer: [] }],
    responses: { 200: OK(summary), 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
    ...extra,
  });
  return {
    openapi: "3.1.0",
    info: { title: "taskq", version: "1", description: "Queues, jobs, workers and the dead-letter queue of taskq. Bearer tokens: TASKQ_API_READ_TOKEN reads, TASKQ_API_TOKEN does everything." },
    paths: {
      "/jobs": {
        post: write("enqueue a job by name", { requestBody: { required: true, content: { "application/json": { schema: enqueue } } }, responses: { 201: OK("the job's id, name and queue"), 400: ERROR, 401: ERROR, 403: ERROR } }),
        get: read("list jobs of a state", { parameters: queryParameters(JobListQuerySchema) }),
      },
      "/jobs/{id}": {
        get: read("a job: payload, state, attempts, errors, result, logs, timestamps", { parameters: [ID, QUEUE], responses: { 200: OK("the job"), 401: ERROR, 404: ERROR, 409: ERROR } }),
        delete: write("cancel a job that has not started", { parameters: [ID, QUEUE] }),
      },
      "/jobs/{id}/retry": { post: write("retry a dead job, or run a delayed one now", { parameters: [ID, QUEUE] }) },
      "/jobs/{id}/priority": {
        put: write("change the priority of a job that has not started", { parameters: [ID, QUEUE], requestBody: { required: true, content: { "application/json": { schema: PriorityBodySchema } } } }),
      },
      "/stats": { get: read("counts by state of every queue, and its workers") },
      "/workers": { get: read("live and dead workers with the jobs they hold") },
      "/dlq": { get: read("dead jobs of every queue", { parameters: queryParameters(DlqQuerySchema) }) },
      "/dlq/{id}/retry": { post: write("retry a dead job with fresh attempts", { parameters: [ID, QUEUE] }) },
      "/dlq/{id}": { delete: write("purge a dead job for good", { parameters: [ID, QUEUE] }) },
      "/schedules": { get: read("every schedule with its next firing") },
      "/schedules/{id}": { delete: write("remove a schedule", { parameters: [ID, QUEUE] }) },
      "/metrics": { get: { summary: "Prometheus metrics", security: [{ bearer: [] }], responses: { 200: { description: "text exposition", content: { "text/plain": {} } }, 401: ERROR } } },
      "/health": { get: { summary: "whether Redis answers", responses: { 200: OK("ok"), 503: OK("Redis does not answer") } } },
    },
    components: {
      schemas: payloads,
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      responses: {
        Error: {
          description: "an error",
          content: { "application/json": { schema: { type: "object", required: ["error", "details"], properties: { error: { type: "string" }, details: {} } } } },
        },
      },
    },
  };
}
