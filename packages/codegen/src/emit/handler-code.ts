/** How generated code calls a job method: shared by worker.ts and the thread-pool modules. */
import type { JobManifest, QueueManifest } from "../manifest.js";

/**
 * `(payload: …, ctx: JobContext) => jobs.tweet(payload, ctx)`. Typed as the method takes it: the codec
 * decoded a valid payload, and a string enum of jobs.ts is the same string as the generated literal
 * union, which TypeScript does not see as one type. A batch job's handler takes the array of payloads
 * and a BatchContext, and is wrapped by `batchHandler` (in worker.ts) to fit a registration.
 */
export function handlerCode(queue: QueueManifest, job: JobManifest): string {
  const batch = job.options.batch !== undefined;
  const [value, context] = batch ? ["payloads", "BatchContext"] : ["payload", "JobContext"];
  const typed = `${value}: Parameters<${queue.className}[${JSON.stringify(job.method)}]>[0]`;
  const parameters = job.usesContext ? `${typed}, ctx: ${context}` : typed;
  const arrow = `(${parameters}) => jobs.${job.method}(${job.usesContext ? `${value}, ctx` : value})`;
  return batch ? `batchHandler(${arrow})` : arrow;
}

/** The module a thread-pool queue's threads load, beside worker.ts: `images.threads.ts`. */
export function threadsModule(queue: QueueManifest): string {
  return `${queue.name}.threads.ts`;
}
