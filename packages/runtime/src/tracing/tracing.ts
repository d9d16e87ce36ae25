/**
 * What a `tracing` option resolves to: the OpenTelemetry API (`@opentelemetry/api`, an optional peer
 * dependency) and a tracer. The API is loaded only when the option is on, so an app that does not
 * trace installs and loads nothing and pays nothing per job.
 */
import { createRequire } from "node:module";
import type * as OtelApi from "@opentelemetry/api";
import { ConfigError } from "../errors.js";
import type { TracingOptions } from "./tracing-options.js";

/** The OpenTelemetry API and the tracer a client or a worker makes its spans with. */
export interface Tracing {
  readonly api: typeof OtelApi;
  readonly tracer: OtelApi.Tracer;
}

/** The instrumentation scope of taskq's spans. */
export const TRACER_NAME = "@taskq/runtime";

let api: typeof OtelApi | undefined;

/** `@opentelemetry/api`, loaded on first use, synchronously (a constructor resolves the option). */
function otelApi(): typeof OtelApi {
  if (api) return api;
  try {
    api = createRequire(import.meta.url)("@opentelemetry/api") as typeof OtelApi;
  } catch (cause) {
    throw new ConfigError("tracing needs the @opentelemetry/api package: npm install @opentelemetry/api", { cause });
  }
  return api;
}

/** The tracing a `tracing` option asks for, or undefined when it is off (the default). */
export function resolveTracing(option: boolean | TracingOptions | undefined): Tracing | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== true && (typeof option !== "object" || option === null)) {
    throw new ConfigError(`tracing must be true, false or { tracerProvider }, got ${String(option)}`);
  }
  const loaded = otelApi();
  const provider = option === true ? undefined : option.tracerProvider;
  if (provider !== undefined && typeof provider?.getTracer !== "function") {
    throw new ConfigError("tracing.tracerProvider must be an OpenTelemetry TracerProvider (it has no getTracer method)");
  }
  const tracer = (provider ?? loaded.trace.getTracerProvider()).getTracer(TRACER_NAME) as OtelApi.Tracer;
  return { api: loaded, tracer };
}
