/** The data `index.ts.hbs` renders: the public names of codecs.ts, client.ts and worker.ts. */
import type { Manifest } from "../manifest.js";
import { importList, sortNames } from "./import-list.js";
import { jobPascal } from "./job-names.js";

export interface IndexView {
  codecsExport: string;
  clientExport: string;
  workerExport: string;
  runtimeExport: string;
}

/** The runtime's errors a producer catches around an enqueue or a `result()`, re-exported for it. */
const PRODUCER_ERRORS = ["JobFailedError", "RedisUnavailableError", "ValidationError"];

export function indexView(manifest: Manifest): IndexView {
  const typeNames = Object.keys(manifest.types);
  const codecValues = typeNames.flatMap((name) => [`${name}Schema`, `${name}Codec`, `is${name}`, `decode${name}`]);
  const jobs = manifest.queues.flatMap((queue) => queue.jobs);
  const jobFunctions = jobs.flatMap((job) => {
    const pascal = jobPascal(job.name);
    return [`enqueue${pascal}`, `enqueue${pascal}Bulk`, `schedule${pascal}`];
  });
  const clientValues = ["TaskqClient", "closeDefaultClient", "configure", "createClient", "definitions", "queues", ...jobFunctions];
  return {
    codecsExport: importList("export", sortNames(codecValues, typeNames), "./codecs.js"),
    clientExport: importList("export", sortNames(clientValues, ["JobMap", "JobName", "PayloadOf", "ResultOf"]), "./client.js"),
    workerExport: importList("export", sortNames(["createWorker"], ["QueueName", "WorkerJobs", "WorkerOptions"]), "./worker.js"),
    runtimeExport: importList("export", sortNames(PRODUCER_ERRORS, []), "@taskq/runtime"),
  };
}
