/**
 * The `components.schemas` of the OpenAPI document: the response shapes of response-schemas.ts, and
 * per job type its payload and result schemas from the generated codecs, with the job record and the
 * dead-letter entry of each type typed by them. Names are stable (`<job>Payload`, `<job>Result`,
 * `<job>Job`, `<job>DeadJob`) so generated clients keep their type names across versions.
 */
import type { TSchema } from "typebox";
import type { JobDefinition } from "../definition.js";
import {
  AttemptErrorSchema,
  BulkResultSchema,
  DeadJobSchema,
  EnqueuedSchema,
  ErrorSchema,
  HealthSchema,
  JobDetailSchema,
  JobHistorySchema,
  JobListSchema,
  JobSummarySchema,
  PriorityChangeSchema,
  PurgedSchema,
  QueueHistorySchema,
  QueueStatsSchema,
  RemovedSchema,
  ScheduleSchema,
  StateChangeSchema,
  WorkerStatusSchema,
} from "./response-schemas.js";

/** A reference to a component schema. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The fixed response shapes, by component name. */
const SHAPES: Record<string, TSchema> = {
  AttemptError: AttemptErrorSchema,
  JobSummary: JobSummarySchema,
  JobDetail: JobDetailSchema,
  JobList: JobListSchema,
  DeadJob: DeadJobSchema,
  QueueStats: QueueStatsSchema,
  WorkerStatus: WorkerStatusSchema,
  Schedule: ScheduleSchema,
  Enqueued: EnqueuedSchema,
  Retried: StateChangeSchema("waiting"),
  Cancelled: StateChangeSchema("cancelled"),
  PriorityChanged: PriorityChangeSchema,
  Purged: PurgedSchema,
  Removed: RemovedSchema,
  Health: HealthSchema,
  QueueHistory: QueueHistorySchema,
  JobHistory: JobHistorySchema,
  BulkResult: BulkResultSchema,
  Error: ErrorSchema,
};

/** Schemas named in the document that others nest, by their JSON: written as references there, so a generated client has one type of each. */
const NESTED = new Map([
  [JSON.stringify(AttemptErrorSchema), "AttemptError"],
  [JSON.stringify(JobSummarySchema), "JobSummary"],
  [JSON.stringify(QueueHistorySchema), "QueueHistory"],
]);

function withRefs(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => {
    // The reviver sees the schema itself last, under the key "": that one stays whole.
    const nested = key !== "" && value && typeof value === "object" ? NESTED.get(JSON.stringify(value)) : undefined;
    return nested ? ref(nested) : value;
  });
}

/**
 * A record of one job type: the generic record (`base`) with `name` fixed and `payload`, and `result`
 * where the record has one, typed by the job's codecs.
 */
function typedRecord(base: string, name: string, withResult: boolean) {
  const properties: Record<string, unknown> = { name: { type: "string", const: name }, payload: ref(`${name}Payload`) };
  if (withResult) properties.result = ref(`${name}Result`);
  return { allOf: [ref(base), { type: "object", required: ["name", "payload"], properties }] };
}

export function componentSchemas(definitions: Readonly<Record<string, JobDefinition<any, any>>>): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(SHAPES)) schemas[name] = withRefs(schema);
  for (const name of Object.keys(definitions).sort()) {
    schemas[`${name}Payload`] = definitions[name].payload.schema;
    schemas[`${name}Result`] = definitions[name].result.schema;
    schemas[`${name}Job`] = typedRecord("JobDetail", name, true);
    schemas[`${name}DeadJob`] = typedRecord("DeadJob", name, false);
  }
  return schemas;
}

/**
 * A record of any of the server's job types, told apart by `name`; the generic record when the server
 * was given no job types. A job of a type the server was not given (another app's queue on the same
 * Redis) is sent with the same fields, its payload and result as stored.
 */
export function anyJobOf(definitions: Readonly<Record<string, unknown>>, generic: "JobDetail" | "DeadJob"): unknown {
  const names = Object.keys(definitions).sort();
  const suffix = generic === "JobDetail" ? "Job" : "DeadJob";
  if (names.length < 2) return ref(names.length === 0 ? generic : `${names[0]}${suffix}`);
  return {
    oneOf: names.map((n) => ref(`${n}${suffix}`)),
    discriminator: { propertyName: "name", mapping: Object.fromEntries(names.map((n) => [n, `#/components/schemas/${n}${suffix}`])) },
  };
}
