/**
 * The shapes of the REST API's requests, as TypeBox schemas checked by the same codecs as payloads,
 * so a bad request is answered with each failing field's path and rule, and the OpenAPI document
 * shows the very schemas that are enforced.
 */
import { Type } from "typebox";
import { createCodec } from "../codec.js";
import { PRIORITIES } from "../options.js";
import { JOB_ID_PATTERN, MAX_ATTEMPTS, MAX_DELAY_MS, MAX_TIMEOUT_MS } from "../client/enqueue-options.js";
import { LISTABLE_STATES } from "../admin/list-jobs.js";

const Priority = Type.Union(PRIORITIES.map((p) => Type.Literal(p)));

export const EnqueueOptionsSchema = Type.Object(
  {
    priority: Type.Optional(Priority),
    // The client checks every option again (enqueue-options.ts), reserved ids included; these bounds
    // are its own, so the OpenAPI document shows what is enforced.
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS })),
    runAt: Type.Optional(Type.String({ format: "date-time" })),
    jobId: Type.Optional(Type.String({ pattern: JOB_ID_PATTERN })),
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ATTEMPTS })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TIMEOUT_MS })),
  },
  { additionalProperties: false },
);

export const EnqueueBodySchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }), payload: Type.Unknown(), options: Type.Optional(EnqueueOptionsSchema) },
  { additionalProperties: false },
);

export const PriorityBodySchema = Type.Object({ priority: Priority }, { additionalProperties: false });

/** 1 to 1 000 (MAX_PAGE_ITEMS): a page costs in proportion to its size, so a bigger one is paged with `cursor`. */
const Limit = Type.Optional(Type.String({ pattern: "^(?:[1-9][0-9]{0,2}|1000)$", description: "at most this many, 1 to 1000 (default 50)" }));
/** The `nextCursor` of the previous page, passed back unchanged. */
const Cursor = Type.Optional(Type.String({ pattern: "^[A-Za-z0-9_-]{1,1024}$", description: "the nextCursor of the previous page" }));
const Name = Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" }));
/** A queue: its name, or `prefix:name` (the same name under two prefixes is two queues). */
const QueueName = Type.Optional(Type.String({ pattern: "^(?:[A-Za-z0-9._-]{1,64}:)?[A-Za-z0-9._-]{1,64}$", description: "a queue: name, or prefix:name" }));
/** Only queues under this key prefix; a queue name held under several prefixes needs it (or prefix:name). */
const Prefix = Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$", description: "only queues under this key prefix" }));

export const JobListQuerySchema = Type.Object({
  queue: QueueName,
  prefix: Prefix,
  name: Type.Optional(
    Type.String({
      pattern: "^[A-Za-z0-9._-]{1,64}$",
      description: "only jobs of this job name (a page then looks at 5,000 entries per queue at most, and may come back short with a nextCursor)",
    }),
  ),
  state: Type.Optional(Type.Union(LISTABLE_STATES.map((s) => Type.Literal(s)))),
  limit: Limit,
  cursor: Cursor,
});

export const QueueQuerySchema = Type.Object({ queue: Type.Optional(Type.String()), prefix: Prefix });

export const DlqQuerySchema = Type.Object({ queue: QueueName, prefix: Prefix, name: Name, limit: Limit, cursor: Cursor });

/** The most dead jobs one bulk call retries or purges (MAX_PAGE_ITEMS): a bigger set is done in several calls, each answering `more`. */
export const MAX_BULK_ITEMS = 1_000;

/** Which dead jobs a bulk retry or purge takes: the filter the dashboard shows, and how many at most. */
export const DlqBulkBodySchema = Type.Object(
  {
    queue: Type.Optional(
      Type.String({ pattern: "^(?:[A-Za-z0-9._-]{1,64}:)?[A-Za-z0-9._-]{1,64}$", description: "only this queue: name, or prefix:name (Default: every queue)" }),
    ),
    name: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$", description: "only jobs of this job name (Default: every name)" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BULK_ITEMS, description: "at most this many, oldest death first (Default: 1000)" })),
  },
  { additionalProperties: false },
);

export const HistoryQuerySchema = Type.Object({
  queue: QueueName,
  minutes: Type.Optional(Type.String({ pattern: "^(?:[1-9]|[1-5][0-9]|60)$", description: "the last this many minutes, 1 to 60 (default 60)" })),
});

export const EnqueueBody = createCodec<{
  name: string;
  payload: unknown;
  options?: { priority?: (typeof PRIORITIES)[number]; delayMs?: number; runAt?: string; jobId?: string; attempts?: number; timeoutMs?: number };
}>(EnqueueBodySchema);
export const PriorityBody = createCodec<{ priority: (typeof PRIORITIES)[number] }>(PriorityBodySchema);
export const JobListQuery = createCodec<{
  queue?: string;
  prefix?: string;
  name?: string;
  state?: (typeof LISTABLE_STATES)[number];
  limit?: string;
  cursor?: string;
}>(JobListQuerySchema);
export const QueueQuery = createCodec<{ queue?: string; prefix?: string }>(QueueQuerySchema);
export const DlqQuery = createCodec<{ queue?: string; prefix?: string; name?: string; limit?: string; cursor?: string }>(DlqQuerySchema);
export const DlqBulkBody = createCodec<{ queue?: string; name?: string; limit?: number }>(DlqBulkBodySchema);
export const HistoryQuery = createCodec<{ queue?: string; minutes?: string }>(HistoryQuerySchema);
