/** The data `client.ts.hbs` renders: each job's definition fields and method names. */
import type { JobManifest, Manifest, QueueManifest } from "../manifest.js";
import { literalCode } from "./code-literal.js";
import { docComment } from "./doc-comment.js";
import { importList, sortNames } from "./import-list.js";
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

export interface ClientView {
  codecsImport: string;
  jobs: ClientJobView[];
}

export function clientView(manifest: Manifest): ClientView {
  const jobs = manifest.queues.flatMap((queue) => {
    const queueKey = JSON.stringify([queue.name, queue.prefix, queue.shards, queue.serializer, queue.compressAboveBytes]);
    return queue.jobs.map((job) => cachedJobView(queue, queueKey, job));
  });
  const refs = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => [job.payload, job.result]));
  const codecs = refs.map(refCodec);
  // A progress type is only a type here: no codec checks what a handler reports.
  const progress = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => (job.progress ? [job.progress] : [])));
  const types = [...refs, ...progress].flatMap((ref) => (ref.kind === "ref" ? [ref.name] : []));
  return { codecsImport: importList("import", sortNames(codecs, types), "./codecs.js"), jobs };
}

/**
 * A job's view depends on the job and the few queue fields its definition repeats (`queueKey`), so it
 * is kept with the job: `--watch` hands the same job objects back for the jobs a save did not change.
 */
const jobViews = new WeakMap<JobManifest, { queueKey: string; view: ClientJobView }>();

function cachedJobView(queue: QueueManifest, queueKey: string, job: JobManifest): ClientJobView {
  const cached = jobViews.get(job);
  if (cached && cached.queueKey === queueKey) return cached.view;
  const view = jobView(queue, job);
  jobViews.set(job, { queueKey, view });
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

/** The `defineJob({...})` fields, in the order of the runtime's `JobDefinition`. */
function definitionFields(queue: QueueManifest, job: JobManifest): Array<{ key: string; value: string }> {
  const { options } = job;
  const fields: Array<[string, unknown]> = [
    ["name", job.name],
    ["queue", queue.name],
    ["prefix", queue.prefix],
    ["shards", queue.shards],
    ["priority", options.priority],
    ["attempts", options.attempts],
    ["backoff", options.backoff],
    ["timeoutMs", options.timeoutMs],
    ["keepResultMs", options.keepResultMs],
    ["version", options.version],
    ["rateLimit", options.rateLimit],
    ["unique", options.unique],
    ["batch", options.batch],
    ["serializer", queue.serializer],
    ["compressAboveBytes", queue.compressAboveBytes],
  ];
  const present = fields.filter(([, value]) => value !== undefined);
  return [
    ...present.map(([key, value]) => ({ key, value: literalCode(value as never) })),
    { key: "payload", value: refCodec(job.payload) },
    { key: "result", value: refCodec(job.result) },
  ];
}
