/**
 * The producer side of tracing: an enqueue is a `send` span (kind PRODUCER) whose context each job
 * carries. A bulk enqueue is one `send` span (kind CLIENT) linked to one `create` span (kind
 * PRODUCER) per job, and each job carries its own `create` span's context, so every job's attempts
 * hang off a span of their own while the bulk stays one operation, as the messaging conventions
 * describe batch sending.
 */
import type { Span } from "@opentelemetry/api";
import type { Tracing } from "./tracing.js";
import { injectCarrier } from "./trace-carrier.js";
import { ATTR_BATCH_COUNT, ATTR_MESSAGE_ID, messagingAttributes } from "./messaging-attributes.js";

/** What the traced enqueue needs of the job type. */
interface Enqueued {
  readonly queue: { readonly name: string };
  readonly name: string;
}

/**
 * Runs `write` (which stores `carriers[i]` with the i-th job and resolves to the handles, in item
 * order) inside the enqueue's span; ends the spans with the job ids, or with the error it threw.
 */
export async function traceEnqueue<H extends { readonly id: string }>(
  tracing: Tracing,
  definition: Enqueued,
  count: number,
  bulk: boolean,
  write: (carriers: ReadonlyArray<string | undefined>) => Promise<H[]>,
): Promise<H[]> {
  const { api, tracer } = tracing;
  const active = api.context.active();
  const { name } = definition;
  const queue = definition.queue.name;
  let creates: Span[] = [];
  let carriers: Array<string | undefined>;
  let send: Span;
  if (!bulk) {
    send = tracer.startSpan(`send ${queue}`, { kind: api.SpanKind.PRODUCER, attributes: messagingAttributes("send", queue, name) }, active);
    carriers = [injectCarrier(tracing, api.trace.setSpan(active, send))];
  } else {
    const attributes = messagingAttributes("create", queue, name);
    creates = Array.from({ length: count }, () => tracer.startSpan(`create ${queue}`, { kind: api.SpanKind.PRODUCER, attributes }, active));
    carriers = creates.map((span) => injectCarrier(tracing, api.trace.setSpan(active, span)));
    send = tracer.startSpan(
      `send ${queue}`,
      {
        kind: api.SpanKind.CLIENT,
        attributes: { ...messagingAttributes("send", queue, name), [ATTR_BATCH_COUNT]: count },
        links: creates.map((span) => ({ context: span.spanContext() })),
      },
      active,
    );
  }
  let handles: H[];
  try {
    // Spans made while writing (an instrumented Redis client's) are the send span's children.
    handles = await api.context.with(api.trace.setSpan(active, send), () => write(carriers));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send.recordException(error instanceof Error ? error : message);
    send.setStatus({ code: api.SpanStatusCode.ERROR, message });
    send.end();
    for (const span of creates) {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: `not enqueued: ${message}` });
      span.end();
    }
    throw error;
  }
  if (!bulk) send.setAttribute(ATTR_MESSAGE_ID, handles[0].id);
  creates.forEach((span, i) => {
    span.setAttribute(ATTR_MESSAGE_ID, handles[i].id);
    span.end();
  });
  send.end();
  return handles;
}
