/**
 * Bearer-token scopes. A route is `public` (health, the dashboard's static files, the OpenAPI
 * document), `read` (every other GET) or `admin` (everything that changes state). The admin token
 * may do everything, the read token only reads. With no token configured there is nothing to check,
 * which is why the server then refuses to listen beyond loopback (see server.ts).
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";

export type Scope = "public" | "read" | "admin";

/** Bearer tokens of the REST API: one for every route, one for the routes that only read. */
export interface ApiTokens {
  /** May call every route. (Default: `TASKQ_API_TOKEN`) */
  admin?: string;
  /** May call the routes that only read. (Default: `TASKQ_API_READ_TOKEN`) */
  read?: string;
}

export function hasTokens(tokens: ApiTokens): boolean {
  return Boolean(tokens.admin || tokens.read);
}

/** The scope a request's token grants, or undefined when it carries none or an unknown one. */
function grantedScope(header: string | undefined, tokens: ApiTokens): Exclude<Scope, "public"> | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!match) return undefined;
  if (tokens.admin && same(match[1], tokens.admin)) return "admin";
  if (tokens.read && same(match[1], tokens.read)) return "read";
  return undefined;
}

/** Compares in constant time, so response timing does not leak a token's prefix. */
function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function authorize(tokens: ApiTokens) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // An unknown path is answered 404 by the not-found handler: there is nothing behind it to guard.
    if (!hasTokens(tokens) || request.routeOptions.url === undefined) return;
    const scope = (request.routeOptions.config as { scope?: Scope } | undefined)?.scope ?? "read";
    if (scope === "public") return;
    const granted = grantedScope(request.headers.authorization, tokens);
    if (!granted) {
      void reply.header("www-authenticate", 'Bearer realm="taskq"');
      throw new ApiError(401, "missing or unknown bearer token", { required: scope });
    }
    if (scope === "admin" && granted !== "admin")
      throw new ApiError(403, "this token may only read; this route needs the admin token", { required: "admin", granted });
  };
}
