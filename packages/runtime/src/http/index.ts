/**
 * The REST API and the dashboard (what `taskq serve` runs). Needs fastify, an optional peer.
 *
 * @module @taskq/runtime/http
 */
export { createApiServer, type ApiServer, type ApiServerOptions } from "./api-server.js";
export type { ApiTokens } from "./auth.js";
