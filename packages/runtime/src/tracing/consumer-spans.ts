/**
 * The consumer side of tracing: each run of a job is a `process` span (kind CONSUMER), a child of the
 * span whose context the job carries (its enqueue's `send`, or its bulk's `create`) and linked to it,
 * as the messaging conventions ask of a process span. The handler runs inside it, so its own spans
 * nest under it. A failed run records the exception and sets the status to ERROR; a run released
 * without counting (a rate limit, a shutdown) is no error.
 */
import type { Outcome } from "../worker/run-job.js";
import type { LeasedJob } from "../worker/leased-job.js";
import type { Tracing } from "./tracing.js";
import { extractContext } from "./trace-carrier.js";
import { ATTR_ATTEMPT, ATTR_MESSAGE_ID, ATTR_OUTCOME, messagingAttributes } from "./messaging-attributes.js";

/** Runs one attempt of `job` (`run`) inside its `process` span, and ends the span with the outcome. */
export async function traceAttempt(tracing: Tracing, queue: string, job: LeasedJob, run: () => Promise<Outcome>): Promise<Outcome> {
  const { api, tracer } = tracing;
  const parent = extractContext(tracing, job.traceContext);
  const producer = api.trace.getSpanContext(parent);
  const span = tracer.startSpan(
    `process ${queue}`,
    {
      kind: api.SpanKind.CONSUMER,
      attributes: { ...messagingAttributes("process", queue, job.name), [ATTR_MESSAGE_ID]: job.id, [ATTR_ATTEMPT]: job.attempt },
      links: producer ? [{ context: producer }] : undefined,
    },
    parent,
  );
  try {
    const outcome = await api.context.with(api.trace.setSpan(parent, span), run);
    span.setAttribute(ATTR_OUTCOME, outcome.kind);
    if (outcome.kind === "retry" || outcome.kind === "dead") {
      const cause = outcome.cause instanceof Error ? outcome.cause : new Error(outcome.error.message);
      span.recordException(cause);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome.error.message });
    }
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    span.recordException(error instanceof Error ? error : message);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message });
    throw error;
  } finally {
    span.end();
  }
}
