/** What the route handlers share: one Redis connection behind an inspector and a client, the job definitions, the metrics. */
import type { Registry } from "prom-client";
import type { QueueInspector } from "../admin/queue-inspector.js";
import type { Client } from "../client/client.js";
import type { JobDefinition } from "../definition.js";
import type { Codec } from "../codec.js";
import { excerpt } from "../errors.js";
import { ApiError } from "./api-error.js";

export interface ApiContext {
  readonly inspector: QueueInspector;
  readonly client: Client;
  /** Job types by name, from the generated `definitions`; empty when the server was made without them. */
  readonly definitions: Readonly<Record<string, JobDefinition<any, any>>>;
  readonly registry: Registry;
}

/** Checks a body or query with a codec; a failure is a 400 naming each field. */
export function parse<T>(codec: Codec<T>, value: unknown, what: string): T {
  const issues = codec.issues(value ?? {});
  if (issues.length > 0) {
    const list = issues.map((i) => `${i.path || "/"}: ${i.rule}`).join("; ");
    throw new ApiError(400, `invalid ${what}: ${list}`, { issues });
  }
  return (value ?? {}) as T;
}

/** A job's queue: the one given, else the one the id is found in (see QueueInspector.findJob). */
export async function requireJob(ctx: ApiContext, id: string, where: { queue?: string; prefix?: string } = {}) {
  const { queue, prefix } = where;
  const job = await ctx.inspector.findJob(id, queue, prefix);
  const place = queue ? ` in queue ${excerpt(prefix ? `${prefix}:${queue}` : queue)}` : prefix ? ` under prefix ${excerpt(prefix)}` : "";
  if (!job)
    throw new ApiError(404, `job ${excerpt(id)} not found${place}`, { id: excerpt(id), queue: queue && excerpt(queue), prefix: prefix && excerpt(prefix) });
  return job;
}
