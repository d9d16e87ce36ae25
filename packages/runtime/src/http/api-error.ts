/**
 * Every error the REST API answers is JSON `{ error, details }`: `error` a sentence a person can act
 * on, `details` what a program needs (the failing fields of a payload, the queues an id is in).
 * taskq's own errors map to 4xx by their stable code; anything unexpected is a 500 without internals.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { TaskqError, ValidationError } from "../errors.js";

/** An error answered with `status` and `{ error: message, details }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: unknown = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  E_VALIDATION: 400,
  E_CONFIG: 400,
  E_NOT_FOUND: 404,
  E_AMBIGUOUS: 409,
  E_UNSUPPORTED: 501,
  // Redis is away: the request may succeed when repeated (as a job with the same jobId) later.
  E_REDIS_UNAVAILABLE: 503,
};

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof ApiError) {
    void reply.status(error.status).send({ error: error.message, details: error.details });
    return;
  }
  if (error instanceof ValidationError) {
    void reply.status(400).send({ error: error.message, details: { issues: error.issues, index: error.index } });
    return;
  }
  if (error instanceof TaskqError && STATUS_BY_CODE[error.code]) {
    void reply.status(STATUS_BY_CODE[error.code]).send({ error: error.message, details: { code: error.code } });
    return;
  }
  // Fastify's own client errors: a body that is not JSON, a wrong content type, a body too large.
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.status(status).send({ error: (error as Error).message, details: { code: (error as FastifyError).code } });
    return;
  }
  request.log.error(error);
  void reply.status(500).send({ error: "internal error", details: {} });
}
