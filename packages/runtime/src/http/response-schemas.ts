/**
 * The shapes of the REST API's responses, as TypeBox schemas for the OpenAPI document. Each is
 * checked at compile time against the type the route returns, as JSON carries it (`Date`s as ISO
 * strings): a field added to a job record, a stat or a worker status without its schema here is a
 * compile error, so the document cannot drift from what the server sends.
 */
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from "typebox";
import type { JobDetail, JobSummary } from "../admin/job-record.js";
import type { QueueStats } from "../admin/queue-stats.js";
import { JOB_STATES, type JobState } from "../store/index.js";
import type { DeadJob } from "../client/dead-letter-queue.js";
import type { AttemptError } from "../errors.js";
import type { WorkerStatus } from "../monitor/monitor.js";
import { PRIORITIES } from "../options.js";
import type { ScheduleInfo } from "../scheduler/schedule-store.js";
import type { JobHistory, QueueHistory } from "../admin/job-history.js";

/** `true` only when A and B are the same type (as in the generated codecs.ts). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** A value as JSON carries it: a `Date` becomes its ISO string. */
type Json<T> = T extends Date ? string : T extends Array<infer E> ? Array<Json<E>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** A union of string literals, typed as the tuple it is (a mapped array would be typed `never`). */
function literals<const T extends readonly string[]>(values: T): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v))) as never;
}
const Time = Type.String({ format: "date-time", description: "Redis time" });
const Count = Type.Integer({ minimum: 0 });
/** Any JSON value: a payload, a result, a progress value, error details. */
const Anything = Type.Unknown();

const JobStateSchema = literals(JOB_STATES);
true satisfies Same<Static<typeof JobStateSchema>, JobState>;
const PrioritySchema = literals(PRIORITIES);

export const AttemptErrorSchema = Type.Object({
  attempt: Count,
  message: Type.String(),
  name: Type.String(),
  stack: Type.Optional(Type.String()),
  at: Type.Integer({ description: "when the attempt failed: Redis time, ms since the epoch" }),
});
true satisfies Same<Static<typeof AttemptErrorSchema>, AttemptError>;

const summaryFields = {
  id: Type.String(),
  queue: Type.String(),
  prefix: Type.String({ description: "the queue's Redis key prefix: a queue is known by prefix and name" }),
  name: Type.String({ description: "the job type" }),
  state: JobStateSchema,
  priority: PrioritySchema,
  attempts: Type.Integer({ minimum: 0, description: "runs started so far, the current one included" }),
  maxAttempts: Count,
  createdAt: Time,
  startedAt: Type.Optional(Time),
  finishedAt: Type.Optional(Time),
  dueAt: Type.Optional(Type.String({ format: "date-time", description: "when a delayed job or a retry comes due" })),
  workerId: Type.Optional(Type.String({ description: "the worker holding or last holding the job" })),
};

export const JobSummarySchema = Type.Object(summaryFields);
true satisfies Same<Static<typeof JobSummarySchema>, Json<JobSummary>>;

/** Everything about one job; `payload` and `result` are typed per job in the document when the server knows the job types. */
export const JobDetailSchema = Type.Object({
  ...summaryFields,
  payload: Anything,
  version: Type.Integer({ minimum: 1, description: "the payload's schema version" }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
  result: Type.Optional(Anything),
  progress: Type.Optional(Anything),
  errors: Type.Array(AttemptErrorSchema, { description: "every failed attempt, oldest first" }),
  logs: Type.Array(Type.String(), { description: "ctx.log() lines, oldest first (the last 1,000)" }),
  traceContext: Type.Optional(
    Type.Record(Type.String(), Type.String(), { description: "the W3C trace context (traceparent, tracestate) its producer stored when tracing" }),
  ),
});
true satisfies Same<Static<typeof JobDetailSchema>, Json<JobDetail>>;

/** Where the next page starts: pass it back as `cursor`; null after the last page. */
export const NextCursor = Type.Union([Type.String(), Type.Null()], { description: "pass back as `cursor` for the next page; null after the last one" });

export const JobListSchema = Type.Object({
  jobs: Type.Array(JobSummarySchema),
  nextCursor: NextCursor,
});

const byQueue = (value: TSchema, description: string) => Type.Object({}, { additionalProperties: value, description });

export const QueueStatsSchema = Type.Object({
  queue: Type.String(),
  prefix: Type.String(),
  waiting: Count,
  waitingByPriority: Type.Object(Object.fromEntries(PRIORITIES.map((p) => [p, Count])) as Record<(typeof PRIORITIES)[number], typeof Count>),
  blocked: Count,
  delayed: Count,
  active: Count,
  completed: Count,
  dead: Count,
  workers: Type.Object({ live: Count, dead: Count }),
  concurrency: Count,
  busyRatio: Type.Number({ minimum: 0 }),
});
true satisfies Same<Static<typeof QueueStatsSchema>, Json<QueueStats>>;

export const WorkerStatusSchema = Type.Object({
  id: Type.String(),
  state: literals(["live", "dead"]),
  host: Type.Optional(Type.String()),
  pid: Type.Optional(Type.Integer()),
  queues: Type.Array(Type.String(), { description: "the queues it serves: a name under the default prefix, else prefix:name" }),
  concurrency: byQueue(Count, "by queue (name, or prefix:name)"),
  startedAt: Type.Optional(Time),
  lastHeartbeat: Time,
  jobs: byQueue(Type.Array(Type.String()), "ids of the jobs this worker holds, by queue"),
});
true satisfies Same<Omit<Static<typeof WorkerStatusSchema>, "concurrency" | "jobs">, Omit<Json<WorkerStatus>, "concurrency" | "jobs">>;

/** A dead job; `payload` is parsed JSON (the raw text when it is not JSON). */
export const DeadJobSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  queue: Type.String(),
  prefix: Type.String({ description: "the queue's Redis key prefix" }),
  payload: Anything,
  attempts: Count,
  createdAt: Time,
  diedAt: Time,
  errors: Type.Array(AttemptErrorSchema),
});
true satisfies Same<Omit<Static<typeof DeadJobSchema>, "payload">, Omit<Json<DeadJob>, "payload">>;

export const ScheduleSchema = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  prefix: Type.String({ description: "the queue's Redis key prefix: a queue is known by prefix and name" }),
  name: Type.String({ description: "the job it enqueues" }),
  schedule: Type.Union([
    Type.Object({ cron: Type.String(), tz: Type.Optional(Type.String()) }),
    Type.Object({ everyMs: Type.Integer({ minimum: 1 }), limit: Type.Optional(Type.Integer({ minimum: 1 })) }),
    Type.Object({ at: Type.Integer({ description: "ms since the epoch" }) }),
  ]),
  nextAt: Type.Optional(Type.String({ format: "date-time", description: "absent once the schedule is exhausted" })),
  fired: Count,
});
true satisfies Same<Static<typeof ScheduleSchema>, Json<ScheduleInfo>>;

export const ErrorSchema = Type.Object({
  error: Type.String({ description: "what went wrong, for a person" }),
  details: Type.Unknown({ description: "what a program needs: the failing fields, the queues an id is in" }),
});

/** The queue's key prefix, beside its name in every answer about a job: a queue is known by both. */
const Prefix = Type.String({ description: "the queue's Redis key prefix" });
export const EnqueuedSchema = Type.Object({ id: Type.String(), name: Type.String(), queue: Type.String(), prefix: Prefix });
export const StateChangeSchema = (state: "waiting" | "cancelled") =>
  Type.Object({ id: Type.String(), queue: Type.String(), prefix: Prefix, state: Type.Literal(state) });
export const PriorityChangeSchema = Type.Object({ id: Type.String(), queue: Type.String(), prefix: Prefix, priority: PrioritySchema });
export const PurgedSchema = Type.Object({ id: Type.String(), queue: Type.String(), prefix: Prefix, purged: Type.Literal(true) });
export const RemovedSchema = Type.Object({ id: Type.String(), queue: Type.String(), prefix: Prefix, removed: Type.Literal(true) });
export const HealthSchema = Type.Object({ status: literals(["ok", "unavailable"]), error: Type.Optional(Type.String()) });

const perMinute = (description: string) => Type.Array(Count, { description: `${description} per minute, oldest first; the last is the current minute` });

export const QueueHistorySchema = Type.Object({
  queue: Type.String(),
  prefix: Type.String(),
  completed: perMinute("jobs completed"),
  failed: perMinute("attempts failed (retried or dead-lettered)"),
  dead: perMinute("jobs dead-lettered"),
});
true satisfies Same<Static<typeof QueueHistorySchema>, QueueHistory>;

export const JobHistorySchema = Type.Object({
  from: Type.String({ format: "date-time", description: "the start of the oldest minute (Redis time)" }),
  bucketMs: Type.Integer({ minimum: 1, description: "the length of one bucket: 60000" }),
  queues: Type.Array(QueueHistorySchema),
});
true satisfies Same<Static<typeof JobHistorySchema>, Json<JobHistory>>;

export const BulkResultSchema = Type.Object({
  count: Type.Integer({ minimum: 0, description: "dead jobs retried (or purged) by this call" }),
  more: Type.Boolean({ description: "the limit was reached: more jobs may match, call again" }),
});
