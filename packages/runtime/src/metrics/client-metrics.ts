// Enqueue counts of a producer (instrumentClient).
import type { Client } from "../client/client.js";
import type { JobMetrics } from "./job-metrics.js";
import { BoundedLabel } from "./bounded-labels.js";

/** Which names label the counter; any other is counted under `other` (see bounded-labels.ts). */
export interface ClientMetricsOptions {
  /** The job names the client enqueues. (Default: the first 100 names seen) */
  jobs?: string[];
  /** The queues the client enqueues to. (Default: the first 100 names seen) */
  queues?: string[];
}

/**
 * Counts enqueues of one Client into `taskq_jobs_enqueued_total`, by wrapping its `enqueue` and
 * `enqueueBulk` methods on that instance only; returns the same client. A generated client exposes its
 * runtime Client as `.runtime`. An idempotent enqueue of an existing `jobId` is counted too: the reply
 * does not say. Labels are bounded by `options` (see bounded-labels.ts).
 */
export function instrumentClient(client: Client, metrics: JobMetrics, options: ClientMetricsOptions = {}): Client {
  const enqueue = client.enqueue.bind(client);
  const enqueueBulk = client.enqueueBulk.bind(client);
  const queueLabel = new BoundedLabel(options.queues);
  const jobLabel = new BoundedLabel(options.jobs);
  const labels = (definition: { queue: { name: string }; name: string }) => ({
    queue: queueLabel.of(definition.queue.name),
    job: jobLabel.of(definition.name),
  });
  client.enqueue = async (definition, payload, options) => {
    const handle = await enqueue(definition, payload, options);
    metrics.enqueued.inc(labels(definition));
    return handle;
  };
  client.enqueueBulk = async (definition, items) => {
    const handles = await enqueueBulk(definition, items);
    metrics.enqueued.inc(labels(definition), handles.length);
    return handles;
  };
  return client;
}
