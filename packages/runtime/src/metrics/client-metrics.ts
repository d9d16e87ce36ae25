// Enqueue counts of a producer (instrumentClient).
import type { Client } from "../client/client.js";
import type { JobMetrics } from "./job-metrics.js";

/**
 * Counts enqueues of one Client into `taskq_jobs_enqueued_total`, by wrapping its `enqueue` and
 * `enqueueBulk` methods on that instance only; returns the same client. A generated client exposes its
 * runtime Client as `.runtime`. An idempotent enqueue of an existing `jobId` is counted too: the reply
 * does not say.
 */
export function instrumentClient(client: Client, metrics: JobMetrics): Client {
  const enqueue = client.enqueue.bind(client);
  const enqueueBulk = client.enqueueBulk.bind(client);
  client.enqueue = async (definition, payload, options) => {
    const handle = await enqueue(definition, payload, options);
    metrics.enqueued.inc({ queue: definition.queue, job: definition.name });
    return handle;
  };
  client.enqueueBulk = async (definition, items) => {
    const handles = await enqueueBulk(definition, items);
    metrics.enqueued.inc({ queue: definition.queue, job: definition.name }, handles.length);
    return handles;
  };
  return client;
}
