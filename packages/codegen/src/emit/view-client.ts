/** The data `client.ts.hbs` renders: each job's definition fields and method names. */
import type { JobManifest, Manifest, QueueManifest } from "../manifest.js";
import { literalCode } from "./code-literal.js";
import { docComment } from "./doc-comment.js";
import { importList, sortNames } from "./import-list.js";
import { isIdentifier } from "../analyze/names.js";
import { definitionAccess, jobKey, jobPascal, refCodec, refType } from "./job-names.js";

export interface ClientJobView {
  name: string;
  key: string;
  access: string;
  pascal: string;
  payload: string;
  result: string;
  /** The handle type its enqueue functions return: `JobHandle<Result>`, or `JobHandle<Result, Progress>`. */
  handle: string;
  /**
   * "" or, with a progress type, the cast that names it on the runtime's handle (`JobHandle<R>`
   * progresses `unknown`): the handler declared what it reports, which no codec checks.
   */
  handleCast: string;
  /** As `handleCast`, for the bulk functions' arrays of handles. */
  bulkCast: string;
  fields: Array<{ key: string; value: string }>;
  /** Each generated function's doc comment (the job's TSDoc, then what the function does), ending in its indentation. */
  docs: Record<"method" | "bulkMethod" | "scheduleMethod" | "enqueue" | "bulk" | "schedule", string>;
}

/** One `defineQueue({...})` of client.ts. */
export interface ClientQueueView {
  /** The queue's key in `queues`. */
  key: string;
  /** `prefix: "taskq", name: "social"`, and whichever of shards, serializer, compressAboveBytes it sets. */
  fields: string;
}

export interface ClientView {
  codecsImport: string;
  queues: ClientQueueView[];
  jobs: ClientJobView[];
}

export function clientView(manifest: Manifest): ClientView {
  const jobs = manifest.queues.flatMap((queue) => queue.jobs.map((job) => cachedJobView(queue, job)));
  const refs = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => [job.payload, job.result]));
  const codecs = refs.map(refCodec);
  // A progress type is only a type here: no codec checks what a handler reports.
  const progress = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => (job.progress ? [job.progress] : [])));
  const types = [...refs, ...progress].flatMap((ref) => (ref.kind === "ref" ? [ref.name] : []));
  return { codecsImport: importList("import", sortNames(codecs, types), "./codecs.js"), queues: manifest.queues.map(queueView), jobs };
}

/**
 * The queue's identity, written once: every job definition of the queue points at it, so the client,
 * the worker and the operations tools cannot read two different prefixes or shard counts for it.
 */
function queueView(queue: QueueManifest): ClientQueueView {
  const fields: Array<[string, unknown]> = [
    ["prefix", queue.prefix],
    ["name", queue.name],
    ["shards", queue.shards],
    ["serializer", queue.serializer],
    ["compressAboveBytes", queue.compressAboveBytes],
  ];
  const present = fields.filter(([, value]) => value !== undefined);
  return { key: jobKey(queue.name), fields: present.map(([key, value]) => `${key}: ${literalCode(value as never)}`).join(", ") };
}

/**
 * A job's view depends on the job and its queue's name (its definition points at `queues.<name>`),
 * so it is kept with the job: `--watch` hands the same job objects back for the jobs a save did not change.
 */
const jobViews = new WeakMap<JobManifest, { queueName: string; view: ClientJobView }>();

function cachedJobView(queue: QueueManifest, job: JobManifest): ClientJobView {
  const cached = jobViews.get(job);
  if (cached && cached.queueName === queue.name) return cached.view;
  const view = jobView(queue, job);
  jobViews.set(job, { queueName: queue.name, view });
  return view;
}

function jobView(queue: QueueManifest, job: JobManifest): ClientJobView {
  return {
    name: job.name,
    key: jobKey(job.name),
    access: definitionAccess(job.name),
    pascal: jobPascal(job.name),
    payload: refType(job.payload),
    result: refType(job.result),
    handle: handleType(job),
    handleCast: job.progress ? ` as Promise<${handleType(job)}>` : "",
    bulkCast: job.progress ? ` as Promise<${handleType(job)}[]>` : "",
    fields: definitionFields(queue, job),
    docs: functionDocs(job),
  };
}

function handleType(job: JobManifest): string {
  return job.progress ? `JobHandle<${refType(job.result)}, ${refType(job.progress)}>` : `JobHandle<${refType(job.result)}>`;
}

/** The job's own TSDoc first, so an editor's hover on `enqueueTweet` shows what the job does. */
function functionDocs(job: JobManifest): ClientJobView["docs"] {
  const name = `\`${job.name}\``;
  const doc = (what: string, indent: string) => docComment(job.doc === undefined ? what : `${job.doc}\n\n${what}`, indent);
  return {
    method: doc(`Enqueues a ${name} job; a payload that fails validation is refused before anything is written.`, "  "),
    bulkMethod: doc(`Enqueues many ${name} jobs atomically: every job is written, or none.`, "  "),
    scheduleMethod: doc(`Enqueues a ${name} job on a schedule: cron, every n ms, or once at a time.`, "  "),
    enqueue: doc(`Enqueues a ${name} job with the default client.`, ""),
    bulk: doc(`Enqueues many ${name} jobs atomically with the default client.`, ""),
    schedule: doc(`Schedules ${name} jobs with the default client.`, ""),
  };
}

/** `queues.social`, or `queues["my-queue"]`. */
function queueAccess(name: string): string {
  return isIdentifier(name) ? `queues.${name}` : `queues[${JSON.stringify(name)}]`;
}

/** The `defineJob({...})` fields, in the order of the runtime's `JobDefinition`. */
function definitionFields(queue: QueueManifest, job: JobManifest): Array<{ key: string; value: string }> {
  const { options } = job;
  const fields: Array<[string, unknown]> = [
    ["priority", options.priority],
    ["attempts", options.attempts],
    ["backoff", options.backoff],
    ["timeoutMs", options.timeoutMs],
    ["keepResultMs", options.keepResultMs],
    ["version", options.version],
    ["rateLimit", options.rateLimit],
    ["unique", options.unique],
    ["batch", options.batch],
  ];
  const present = fields.filter(([, value]) => value !== undefined);
  return [
    { key: "name", value: literalCode(job.name) },
    { key: "queue", value: queueAccess(queue.name) },
    ...present.map(([key, value]) => ({ key, value: literalCode(value as never) })),
    { key: "payload", value: refCodec(job.payload) },
    { key: "result", value: refCodec(job.result) },
  ];
}
