/**
 * The JSON body parser of the REST API: Fastify's own (which refuses `__proto__` and `constructor`
 * keys), plus two rules. An empty body is no body, so a write without one (retry, cancel) can still
 * say it is JSON, as every write must (see request-guard.ts). And nesting deeper than
 * MAX_BODY_DEPTH is a 400: deep values make validation and encoding recurse until the stack runs out,
 * which would be a 500.
 */
import type { FastifyInstance } from "fastify";
import { ApiError } from "./api-error.js";

/** The deepest nesting of objects and arrays a request body may have. */
export const MAX_BODY_DEPTH = 64;

export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, raw, done) => {
    const body = String(raw);
    if (body.trim() === "") return done(null, undefined);
    void parse(request, body, (error, value) => {
      if (error) return done(error, undefined);
      if (depthOf(value) > MAX_BODY_DEPTH)
        return done(new ApiError(400, `the request body nests deeper than ${MAX_BODY_DEPTH} levels`, { maxDepth: MAX_BODY_DEPTH }), undefined);
      done(null, value);
    });
  });
}

/** How deep objects and arrays nest in `value`, counted without recursion; stops counting past the limit. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(current)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return deepest;
}
