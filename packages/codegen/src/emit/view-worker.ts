/** The data `worker.ts.hbs` renders: each queue's class, registration and handlers. */
import { isIdentifier } from "../analyze/names.js";
import type { JobManifest, Manifest, QueueManifest } from "../manifest.js";
import { keyCode, literalCode, numberCode } from "./code-literal.js";
import { handlerCode, threadsModule } from "./handler-code.js";
import { importList, runtimeImports, sortNames } from "./import-list.js";
import { definitionAccess, jobKey, refCodec, refType } from "./job-names.js";
import { entryImport } from "./view-threads.js";

export interface WorkerQueueView {
  key: string;
  /** `.social` or `["my-queue"]`: how to read this queue's entry of `jobs`. */
  property: string;
  name: string;
  className: string;
  registration: string;
  constructible: boolean;
  /** True for a thread-pool queue: its threads make their own instances, so worker.ts takes none. */
  inThreads: boolean;
  concurrency: string;
  /** `"strict"` or `[16, 8, 4, 2, 1]`, when the queue sets its priorities. */
  priorities?: string;
  /** `{ module: new URL(…), threads: n }`, for a thread-pool queue. */
  pool?: string;
  /**
   * `definition` is the code of the job's definition: `definitions.tweet`, plus its upgrades if any;
   * `backoff` the custom backoff function, when the job has one.
   */
  jobs: Array<{ key: string; definition: string; handler: string; backoff?: string }>;
}

export interface WorkerView {
  /** The imports from "@taskq/runtime" and "@taskq/runtime/internal". */
  runtimeImport: string;
  classesImport: string;
  codecsImport: string;
  /** `"social" | "mail"`: the QueueName type. */
  queueNames: string;
  /** `"social", "mail"`: every queue, for the default selection. */
  queueNameList: string;
  /** True when every queue class can be made without arguments, so `jobs` may be left out. */
  jobsOptional: boolean;
  /** True when some job is a batch job: worker.ts then defines `batchHandler`. */
  hasBatch: boolean;
  /** True when some queue runs in a thread pool: worker.ts then defines `runInThreadPool`. */
  hasThreads: boolean;
  queues: WorkerQueueView[];
  /** `A, B` pairs: a jobs.ts type and the generated type it must fit. */
  fits: string[];
}

export function workerView(manifest: Manifest): WorkerView {
  const jobs = manifest.queues.flatMap((queue) => queue.jobs.map((job) => ({ queue, job })));
  // A thread-pool queue's handlers live in its threads module, so they need no context type here.
  const inProcess = jobs.filter(({ queue }) => !queue.pool);
  const hasBatch = jobs.some(({ job }) => job.options.batch);
  const usesContext = inProcess.some(({ job }) => job.usesContext && !job.options.batch);
  const runtimeTypes = ["WorkerOptions as RuntimeWorkerOptions", ...(usesContext ? ["JobContext"] : []), ...(hasBatch ? ["BatchContext"] : [])];
  const internalTypes = ["QueueRegistration", ...(hasBatch ? ["Handler"] : [])];
  const backoffs = jobs.flatMap(({ job }) => (job.options.backoff.type === "custom" ? [job.options.backoff.name] : []));
  const refs = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => [job.payload, job.result]));
  const upgrades = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => job.upgrades ?? []));
  const codecTypes = [...refs, ...upgrades.map((upgrade) => upgrade.payload)].flatMap((ref) => (ref.kind === "ref" ? [ref.name] : []));
  const upgradeCodecs = upgrades.map((upgrade) => refCodec(upgrade.payload));
  const classes = [...manifest.queues.map((queue) => queue.className), ...upgrades.map((upgrade) => upgrade.function), ...backoffs];
  return {
    runtimeImport: runtimeImports("import", sortNames(["Worker"], runtimeTypes), sortNames([], internalTypes)),
    classesImport: importList("import", sortNames(classes), entryImport(manifest)),
    codecsImport:
      upgradeCodecs.length > 0
        ? importList("import", sortNames(upgradeCodecs, codecTypes), "./codecs.js")
        : importList("import type", sortNames(codecTypes), "./codecs.js"),
    queueNames: manifest.queues.map((queue) => JSON.stringify(queue.name)).join(" | "),
    queueNameList: manifest.queues.map((queue) => JSON.stringify(queue.name)).join(", "),
    jobsOptional: manifest.queues.every((queue) => queue.constructibleWithoutArgs || queue.pool),
    hasBatch,
    hasThreads: manifest.queues.some((queue) => queue.pool),
    queues: manifest.queues.map(queueView),
    fits: jobs.flatMap(({ queue, job }) => {
      const method = `${queue.className}[${JSON.stringify(job.method)}]`;
      return [...signatureFits(job, method), ...upgradeFits(job, method)];
    }),
  };
}

/** A batch method takes `Payload[]` and answers `Array<Result | Error>`; any other, one of each. */
function signatureFits(job: JobManifest, method: string): string[] {
  const [payload, result] = [refType(job.payload), refType(job.result)];
  if (!job.options.batch) return [`Parameters<${method}>[0], ${payload}`, `Awaited<ReturnType<${method}>>, ${result}`];
  return [`Parameters<${method}>[0], ${payload}[]`, `Awaited<ReturnType<${method}>>, Array<${result} | Error>`];
}

function queueView(queue: QueueManifest): WorkerQueueView {
  return {
    key: keyCode(queue.name),
    property: isIdentifier(queue.name) ? `.${queue.name}` : `[${JSON.stringify(queue.name)}]`,
    name: JSON.stringify(queue.name),
    className: queue.className,
    registration: `${queue.className[0].toLowerCase()}${queue.className.slice(1)}Registration`,
    constructible: queue.constructibleWithoutArgs,
    inThreads: queue.pool !== undefined,
    concurrency: numberCode(queue.concurrency),
    ...(queue.priorities === undefined ? {} : { priorities: literalCode(queue.priorities) }),
    ...(queue.pool === undefined ? {} : { pool: poolCode(queue) }),
    jobs: queue.jobs.map((job) => ({
      key: jobKey(job.name),
      definition: definitionCode(job),
      handler: queue.pool ? "runInThreadPool" : handlerCode(queue, job),
      ...(job.options.backoff.type === "custom" ? { backoff: job.options.backoff.name } : {}),
    })),
  };
}

/**
 * The `.js` name, as for every generated import: tsx maps it to the `.ts` file (the pool's threads
 * register tsx too), and compiled output has the `.js` file itself.
 */
function poolCode(queue: QueueManifest): string {
  const module = `./${threadsModule(queue).replace(/\.ts$/, ".js")}`;
  return `{ module: new URL(${JSON.stringify(module)}, import.meta.url), threads: ${numberCode(queue.concurrency)} }`;
}

/**
 * A job with older payload versions gets its upgrade chain: each old version's codec and the jobs.ts
 * function that lifts it one version. client.ts cannot carry these (it must not import jobs.ts).
 */
function definitionCode(job: JobManifest): string {
  const access = definitionAccess(job.name);
  if (!job.upgrades) return access;
  const links = job.upgrades.map((link) => `            ${link.fromVersion}: { payload: ${refCodec(link.payload)}, upgrade: ${link.function} },`);
  return [`{`, `          ...${access},`, `          upgrades: {`, ...links, `          },`, `        }`].join("\n");
}

/** Each upgrade takes its version's decoded payload and returns what the next link (or the job) takes. */
function upgradeFits(job: JobManifest, method: string): string[] {
  const links = job.upgrades ?? [];
  return links.flatMap((link, i) => {
    const next = links[i + 1] ? `Parameters<typeof ${links[i + 1].function}>[0]` : `Parameters<${method}>[0]`;
    return [`Parameters<typeof ${link.function}>[0], ${refType(link.payload)}`, `Awaited<ReturnType<typeof ${link.function}>>, ${next}`];
  });
}
