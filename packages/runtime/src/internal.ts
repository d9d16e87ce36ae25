/**
 * @internal What taskq's generated code and its own packages (the CLI, the code generator) import from
 * the runtime, and no application should: declaring job types and codecs (`defineJob`, `createCodec`,
 * `IsoDate`), the default client behind the generated `enqueue*` functions, a queue's registration
 * with a worker, and the connection and scheduling helpers the CLI shares. It changes whenever the
 * generated code does; applications use `@taskq/runtime` (and the generated functions) instead.
 *
 * Not in the API reference (typedoc.json lists the public entry points only).
 *
 * @module @taskq/runtime/internal
 */
export { createCodec, type Codec } from "./codec.js";
export type { PayloadStorage, StoredPayload } from "./payload/envelope.js";
export { IsoDate } from "./iso-date.js";
export { defineJob, type JobDefinition, type Handler, type QueueRegistration, type QueueJob, type PayloadUpgrade } from "./definition.js";
export { defineQueue, type QueueDefinition } from "./queue-definition.js";
export { DefaultClient } from "./client/default-client.js";
export type { ThreadPoolOptions } from "./worker/thread-pool.js";
export { connect, type OwnedConnection } from "./redis/connection.js";
export { nextFireTime } from "./scheduler/next-fire-time.js";
export { applyMiddleware } from "./middleware/apply-middleware.js";
