// @taskq/runtime/http: the REST API and the dashboard (`taskq serve`). Needs fastify, an optional peer.
export { createApiServer, type ApiServer, type ApiServerOptions } from "./api-server.js";
export type { ApiTokens } from "./auth.js";
