/**
 * What a browser must not be able to make the API do. Without a token configured the API trusts any
 * caller that reaches loopback, and a web page can reach loopback: by a cross-site form or `fetch`
 * (a "simple" request the browser sends without asking), or by DNS rebinding (a name of the attacker's
 * that resolves to 127.0.0.1, so the page is "same-origin" with the API). So, without a token:
 * - the `Host` must name loopback (a rebound name does not), and
 * - an `Origin`, when the browser sends one, must be this very host (the dashboard's own page).
 * And always: a write (POST, PUT, DELETE) must say `content-type: application/json`, which a page can
 * only send cross-site after a CORS preflight, which this API never grants.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host name of a `Host` header (`127.0.0.1:4000`, `[::1]:4000`, `localhost`), lower-cased. */
function hostName(host: string): string {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return match ? match[1] : "";
}

/** The no-token mode's guard: loopback `Host`, same-origin `Origin`. */
export async function guardLoopback(request: FastifyRequest): Promise<void> {
  const host = request.headers.host ?? "";
  if (!LOOPBACK_HOSTS.has(hostName(host)) && !/^127(?:\.\d{1,3}){3}$/.test(hostName(host))) {
    throw new ApiError(
      403,
      "this API has no token configured and answers only requests to a loopback host (127.0.0.1, localhost, [::1]); set TASKQ_API_TOKEN to serve other names",
      { host: host.slice(0, 80) },
    );
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, host)) {
    throw new ApiError(403, "cross-site request refused: this API has no token configured, so only its own pages may call it", { origin: origin.slice(0, 80) });
  }
  if (request.headers["sec-fetch-site"] === "cross-site") throw new ApiError(403, "cross-site request refused", {});
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === host.toLowerCase();
  } catch {
    return false; // "null" (a sandboxed frame, a file) and anything unparsable
  }
}

/** Every write must be JSON: refused with 415 otherwise, before any handler runs. */
export async function requireJsonWrites(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (READS.has(request.method)) return;
  const type = String(request.headers["content-type"] ?? "")
    .split(";")[0]
    .trim()
    .toLowerCase();
  if (type !== "application/json") {
    throw new ApiError(415, "a write must be sent with content-type: application/json (an empty body is allowed)", { contentType: type.slice(0, 80) || null });
  }
}
