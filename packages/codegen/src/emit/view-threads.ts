/** The data `threads.ts.hbs` renders: the handlers a thread-pool queue's threads run. */
import type { Manifest, QueueManifest } from "../manifest.js";
import { importList, runtimeImports, sortNames } from "./import-list.js";
import { jobKey } from "./job-names.js";
import { handlerCode } from "./handler-code.js";

export interface ThreadsView {
  runtimeImport: string;
  classImport: string;
  name: string;
  className: string;
  jobs: Array<{ key: string; handler: string }>;
}

export function threadsView(manifest: Manifest, queue: QueueManifest): ThreadsView {
  const usesContext = queue.jobs.some((job) => job.usesContext);
  return {
    runtimeImport: runtimeImports("import type", sortNames(usesContext ? ["JobContext"] : []), sortNames(["Handler"])),
    classImport: importList("import", [queue.className], entryImport(manifest)),
    name: JSON.stringify(queue.name),
    className: queue.className,
    jobs: queue.jobs.map((job) => ({ key: jobKey(job.name), handler: handlerCode(queue, job) })),
  };
}

/** jobs.ts as generated code imports it: relative, with the `.js` extension ESM wants. */
export function entryImport(manifest: Manifest): string {
  const source = manifest.source.replace(/\.(c|m)?tsx?$/, ".js");
  return source.startsWith(".") ? source : `./${source}`;
}
