/**
 * The trace context a job carries from its producer to each of its attempts: what the OpenTelemetry
 * propagator injects (W3C `traceparent`, and `tracestate` when there is one), as JSON, in the job
 * record's `tc` field. enqueue-8.lua joins it with other options by "|", so any "|" (a tracestate
 * value may hold one) is written as the JSON escape `\u007c`, which JSON.parse reads back as is.
 */
import type { Context } from "@opentelemetry/api";
import type { Tracing } from "./tracing.js";

/** enqueue-8.lua refuses a longer one; a tracestate that would make it longer is left out. */
const MAX_CARRIER_LENGTH = 1024;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/;

/** The encoded trace context of `context`, or undefined when it holds no valid span. */
export function injectCarrier({ api }: Tracing, context: Context): string | undefined {
  const carrier: Record<string, string> = {};
  api.propagation.inject(context, carrier);
  // No propagator registered (the API's default injects nothing): W3C, from the span context itself.
  if (Object.keys(carrier).length === 0) {
    const span = api.trace.getSpanContext(context);
    if (!span || !api.isSpanContextValid(span)) return undefined;
    carrier.traceparent = `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
    const state = span.traceState?.serialize();
    if (state) carrier.tracestate = state;
  }
  let encoded = encode(carrier);
  if (encoded.length > MAX_CARRIER_LENGTH && carrier.tracestate !== undefined) {
    delete carrier.tracestate;
    encoded = encode(carrier);
  }
  return encoded.length > MAX_CARRIER_LENGTH ? undefined : encoded;
}

function encode(carrier: Record<string, string>): string {
  return JSON.stringify(carrier).replaceAll("|", "\\u007c");
}

/**
 * The context a stored trace context names (with the producer's span as its remote parent), on top
 * of the root context; the root context itself when it names none or cannot be read (a record
 * written by hand must not fail its job).
 */
export function extractContext({ api }: Tracing, encoded: string | undefined): Context {
  const root = api.ROOT_CONTEXT;
  if (encoded === undefined) return root;
  let carrier: unknown;
  try {
    carrier = JSON.parse(encoded);
  } catch {
    return root;
  }
  if (typeof carrier !== "object" || carrier === null || Array.isArray(carrier)) return root;
  const fields = carrier as Record<string, unknown>;
  const context = api.propagation.extract(root, fields);
  if (api.trace.getSpanContext(context) || typeof fields.traceparent !== "string") return context;
  // No W3C propagator registered: read the traceparent written by `injectCarrier`'s fallback.
  const match = TRACEPARENT.exec(fields.traceparent);
  if (!match || match[1] === "ff") return context;
  const span = { traceId: match[2], spanId: match[3], traceFlags: parseInt(match[4], 16) & 1, isRemote: true };
  return api.isSpanContextValid(span) ? api.trace.setSpanContext(context, span) : context;
}
