/** The data `worker.ts.hbs` renders: each queue's class, registration and handlers. */
import { isIdentifier } from "../analyze/names.js";
import type { Manifest, QueueManifest } from "../manifest.js";
import { keyCode, numberCode } from "./code-literal.js";
import { importList, sortNames } from "./import-list.js";
import { definitionAccess, jobKey, refType } from "./job-names.js";

export interface WorkerQueueView {
  key: string;
  /** `.social` or `["my-queue"]`: how to read this queue's entry of `jobs`. */
  property: string;
  name: string;
  className: string;
  registration: string;
  constructible: boolean;
  prefix: string;
  concurrency: string;
  jobs: Array<{ key: string; access: string; handler: string }>;
}

export interface WorkerView {
  runtimeImport: string;
  classesImport: string;
  codecsImport: string;
  /** `"social" | "mail"`: the QueueName type. */
  queueNames: string;
  /** `"social", "mail"`: every queue, for the default selection. */
  queueNameList: string;
  /** True when every queue class can be made without arguments, so `jobs` may be left out. */
  jobsOptional: boolean;
  queues: WorkerQueueView[];
  /** `A, B` pairs: a jobs.ts type and the generated type it must fit. */
  fits: string[];
}

export function workerView(manifest: Manifest): WorkerView {
  const usesContext = manifest.queues.some((queue) => queue.jobs.some((job) => job.usesContext));
  const runtimeTypes = ["QueueRegistration", "WorkerOptions as RuntimeWorkerOptions", ...(usesContext ? ["JobContext"] : [])];
  const refs = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => [job.payload, job.result]));
  const codecTypes = refs.flatMap((ref) => (ref.kind === "ref" ? [ref.name] : []));
  const source = manifest.source.replace(/\.(c|m)?tsx?$/, ".js");
  return {
    runtimeImport: importList("import", sortNames(["Worker"], runtimeTypes), "@taskq/runtime"),
    classesImport: importList("import", sortNames(manifest.queues.map((queue) => queue.className)), source.startsWith(".") ? source : `./${source}`),
    codecsImport: importList("import type", sortNames(codecTypes), "./codecs.js"),
    queueNames: manifest.queues.map((queue) => JSON.stringify(queue.name)).join(" | "),
    queueNameList: manifest.queues.map((queue) => JSON.stringify(queue.name)).join(", "),
    jobsOptional: manifest.queues.every((queue) => queue.constructibleWithoutArgs),
    queues: manifest.queues.map(queueView),
    fits: manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => {
      const method = `${queue.className}[${JSON.stringify(job.method)}]`;
      return [`Parameters<${method}>[0], ${refType(job.payload)}`, `Awaited<ReturnType<${method}>>, ${refType(job.result)}`];
    })),
  };
}

function queueView(queue: QueueManifest): WorkerQueueView {
  return {
    key: keyCode(queue.name),
    property: isIdentifier(queue.name) ? `.${queue.name}` : `[${JSON.stringify(queue.name)}]`,
    name: JSON.stringify(queue.name),
    className: queue.className,
    registration: `${queue.className[0].toLowerCase()}${queue.className.slice(1)}Registration`,
    constructible: queue.constructibleWithoutArgs,
    prefix: JSON.stringify(queue.prefix),
    concurrency: numberCode(queue.concurrency),
    jobs: queue.jobs.map((job) => {
      // Typed as the method takes it: the codec decoded a valid payload, and a string enum of jobs.ts
      // is the same string as the generated literal union, which TypeScript does not see as one type.
      const payload = `payload: Parameters<${queue.className}[${JSON.stringify(job.method)}]>[0]`;
      const parameters = job.usesContext ? `${payload}, ctx: JobContext` : payload;
      const call = `jobs.${job.method}(${job.usesContext ? "payload, ctx" : "payload"})`;
      return { key: jobKey(job.name), access: definitionAccess(job.name), handler: `(${parameters}) => ${call}` };
    }),
  };
}
