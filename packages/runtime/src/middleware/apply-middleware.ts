import type { Handler, QueueRegistration } from "../definition.js";
import type { JobContext } from "../context.js";
import type { Middleware } from "./middleware.js";

/**
 * Wraps the handlers of queue registrations with middleware (the first given is the outermost), leaving
 * the worker untouched: the worker sees ordinary handlers, so leases, timeouts and outcomes work exactly
 * as without it. Returns new registrations; the given ones are not changed.
 */
export function applyMiddleware(queues: QueueRegistration[], middleware: ReadonlyArray<Middleware<any>>): QueueRegistration[] {
  if (middleware.length === 0) return queues;
  return queues.map((queue) => ({
    ...queue,
    jobs: Object.fromEntries(
      Object.entries(queue.jobs).map(([name, entry]) => [name, { ...entry, handler: wrap(queue.name, name, entry.handler, middleware) }]),
    ),
  }));
}

function wrap(queue: string, name: string, handler: Handler, middleware: ReadonlyArray<Middleware<any>>): Handler {
  return (payload: unknown, ctx: JobContext) => {
    const call = { name, queue, payload, ctx };
    const layer = async (i: number): Promise<unknown> => {
      if (i === middleware.length) return handler(payload, ctx);
      const m = middleware[i];
      await m.before?.(call);
      let result: unknown;
      try {
        result = await layer(i + 1);
      } catch (error) {
        await m.onError?.({ ...call, error });
        throw error;
      }
      await m.after?.({ ...call, result });
      return result;
    };
    return layer(0);
  };
}
