/**
 * Turns one enqueue (definition, encoded payload, options) into its 14 enqueue fields (`jobFields`),
 * added with its trace context to an enqueue call (`addJob`; store/enqueue.ts lays them out), and orders a bulk so that
 * parents come before the children that name them.
 */
import { createHash } from "node:crypto";
import type { JobDefinition } from "../definition.js";
import type { StoredPayload } from "../payload/envelope.js";
import { ConfigError } from "../errors.js";
import type { EnqueueOptions } from "../options.js";
import { priorityIndex } from "../redis/keys.js";
import { addEnqueueFields, addPackedJob, addSharedJob, packEnqueueOptions, sharedOptions, type EnqueueBatch, type SharedOptions } from "../store/index.js";

export interface PendingJob {
  payload: unknown;
  data: StoredPayload;
  options: EnqueueOptions;
  /** The producer's trace context, encoded (tracing/trace-carrier.ts); absent when tracing is off. */
  trace?: string;
}

/**
 * A rate-limit group from the payload's value at `groupBy`: text as it is, a number or boolean as
 * its text, an object or array as its JSON (so two jobs share a group when their values are equal,
 * not every object in one "[object Object]" group), nothing as "".
 */
function groupOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

/** The value at a dotted path (`account.id`) of a payload. */
function valueAt(payload: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), payload);
}

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The key duplicates of a `unique` job share (`name:hash`); "" for a job type without `unique`. */
export function uniqueKey(definition: JobDefinition<any, any>, payload: unknown): string {
  const by = definition.unique?.by;
  if (!by) return "";
  const value = by === "payload" ? payload : valueAt(payload, by);
  return `${definition.name}:${createHash("sha1").update(canonical(value)).digest("base64url")}`;
}

function parentIds(options: EnqueueOptions, queue: string): string[] {
  return (options.dependsOn ?? []).map((parent) => {
    if (typeof parent === "string") return parent;
    if (parent.queue !== undefined && parent.queue !== queue) {
      throw new ConfigError(`dependsOn: job ${parent.id} is in queue ${parent.queue}; a job can depend only on jobs of its own queue (${queue})`);
    }
    return parent.id;
  });
}

/**
 * The 14 enqueue fields of a job whose options passed `assertEnqueueOptions` (enqueue-options.ts):
 * every string among them is then a literal or a pattern without "|", every number finite.
 */
export function jobFields(definition: JobDefinition<any, any>, job: PendingJob): Array<string | number | Buffer> {
  const { options } = job;
  const attempts = options.attempts ?? definition.attempts;
  const parents = parentIds(options, definition.queue.name);
  const groupBy = definition.rateLimit?.groupBy;
  return [
    options.jobId ?? "",
    definition.name,
    job.data,
    definition.version,
    priorityIndex(options.priority ?? definition.priority),
    attempts,
    options.timeoutMs ?? "",
    options.runAt ? options.runAt.getTime() : "",
    options.delayMs ?? "",
    groupBy ? groupOf(valueAt(job.payload, groupBy)) : "",
    uniqueKey(definition, job.payload),
    definition.unique?.ttlMs ?? 0,
    parents.join(","),
    options.onParentFailure ?? "fail",
  ];
}

/**
 * Adds a job to an enqueue call. A job without options, of a type whose options field does not
 * depend on the payload (no `unique`, no rate-limit `groupBy`), shares one options string per job
 * type, made once: most enqueues take this path, and it costs a push.
 */
export function addJob(batch: EnqueueBatch, definition: JobDefinition<any, any>, job: PendingJob): void {
  if (hasNoKeys(job.options)) {
    let shared = sharedByType.get(definition);
    if (shared === undefined) {
      shared =
        definition.unique || definition.rateLimit?.groupBy
          ? null
          : sharedOptions(definition.name, packEnqueueOptions(jobFields(definition, { ...job, options: {} })));
      sharedByType.set(definition, shared);
    }
    if (shared !== null) {
      // The shared string ends in the empty trace context and group ("||"): a traced job's context goes between.
      if (job.trace === undefined) addSharedJob(batch, definition.name, job.data, shared);
      else addPackedJob(batch, "", definition.name, job.data, `${shared.packed.slice(0, -1)}${job.trace}|`);
      return;
    }
  }
  addEnqueueFields(batch, jobFields(definition, job), job.trace);
}

/** Per job type: the options of a job enqueued without options, or null when they depend on the payload. */
const sharedByType = new WeakMap<JobDefinition<any, any>, SharedOptions | null>();

/** True when no option is set: such a job needs no options check and takes the shared options string. */
export function hasNoKeys(options: EnqueueOptions): boolean {
  for (const key in options) if ((options as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/**
 * Orders a bulk so every parent named by jobId in the same call comes first, and refuses a cycle
 * with its path. Returns the positions of the items in write order.
 */
export function dependencyOrder(jobs: PendingJob[], queue: string): number[] {
  if (!jobs.some((job) => job.options.dependsOn?.length)) return jobs.map((_, index) => index);
  const byId = new Map<string, number>();
  jobs.forEach((job, index) => job.options.jobId !== undefined && byId.set(job.options.jobId, index));
  const order: number[] = [];
  const state = new Map<number, "visiting" | "done">();
  const visit = (index: number, path: string[]) => {
    if (state.get(index) === "done") return;
    const id = jobs[index].options.jobId ?? `#${index}`;
    if (state.get(index) === "visiting") {
      throw new ConfigError(`dependsOn: dependency cycle ${[...path.slice(path.indexOf(id)), id].join(" → ")}`);
    }
    state.set(index, "visiting");
    for (const parent of parentIds(jobs[index].options, queue)) {
      const at = byId.get(parent);
      if (at !== undefined) visit(at, [...path, id]);
    }
    state.set(index, "done");
    order.push(index);
  };
  jobs.forEach((_, index) => visit(index, []));
  return order;
}
