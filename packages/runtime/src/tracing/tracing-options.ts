/**
 * The `tracing` option of a Client and a Worker. Its own module, importing nothing: the declarations
 * an app compiles against must not need `@opentelemetry/api` (an optional peer) to type-check.
 */

/**
 * OpenTelemetry tracing of a {@link Client} (a producer span per enqueue, and the trace context stored
 * with each job) or a {@link Worker} (a consumer span per attempt, a child of its producer's span).
 * `tracing: true` uses the global tracer provider and propagator that the OpenTelemetry SDK registers;
 * either needs the `@opentelemetry/api` package installed.
 */
export interface TracingOptions {
  /**
   * Where the spans go: an OpenTelemetry `TracerProvider` (typed loosely, so this package's types do
   * not need `@opentelemetry/api`). (Default: the global tracer provider)
   */
  tracerProvider?: {
    /** Returns the tracer of an instrumentation scope. */
    getTracer(name: string, version?: string): unknown;
  };
}
