/** The data `worker.ts.hbs` renders: each queue's class, registration and handlers. */
import { isIdentifier } from "../analyze/names.js";
import type { JobManifest, Manifest, QueueManifest } from "../manifest.js";
import { keyCode, numberCode } from "./code-literal.js";
import { importList, sortNames } from "./import-list.js";
import { definitionAccess, jobKey, refCodec, refType } from "./job-names.js";

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
  /** `definition` is the code of the job's definition: `definitions.tweet`, plus its upgrades if any. */
  jobs: Array<{ key: string; definition: string; handler: string }>;
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
  const upgrades = manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => job.upgrades ?? []));
  const codecTypes = [...refs, ...upgrades.map((upgrade) => upgrade.payload)].flatMap((ref) => (ref.kind === "ref" ? [ref.name] : []));
  const upgradeCodecs = upgrades.map((upgrade) => refCodec(upgrade.payload));
  const source = manifest.source.replace(/\.(c|m)?tsx?$/, ".js");
  const classes = [...manifest.queues.map((queue) => queue.className), ...upgrades.map((upgrade) => upgrade.function)];
  return {
    runtimeImport: importList("import", sortNames(["Worker"], runtimeTypes), "@taskq/runtime"),
    classesImport: importList("import", sortNames(classes), source.startsWith(".") ? source : `./${source}`),
    codecsImport: upgradeCodecs.length > 0
      ? importList("import", sortNames(upgradeCodecs, codecTypes), "./codecs.js")
      : importList("import type", sortNames(codecTypes), "./codecs.js"),
    queueNames: manifest.queues.map((queue) => JSON.stringify(queue.name)).join(" | "),
    queueNameList: manifest.queues.map((queue) => JSON.stringify(queue.name)).join(", "),
    jobsOptional: manifest.queues.every((queue) => queue.constructibleWithoutArgs),
    queues: manifest.queues.map(queueView),
    fits: manifest.queues.flatMap((queue) => queue.jobs.flatMap((job) => {
      const method = `${queue.className}[${JSON.stringify(job.method)}]`;
      return [`Parameters<${method}>[0], ${refType(job.payload)}`, `Awaited<ReturnType<${method}>>, ${refType(job.result)}`, ...upgradeFits(job, method)];
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
      return { key: jobKey(job.name), definition: definitionCode(job), handler: `(${parameters}) => ${call}` };
    }),
  };
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
