/**
 * The code inside each pool thread: loads the handler module named by the pool, creates its
 * handlers once, and runs the jobs the main thread posts, relaying logs, progress, results and errors.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Handler } from "../definition.js";
import type { JobContext } from "../context.js";
import type { ToThread, FromThread } from "./thread-messages.js";

const { module } = workerData as { module: string };
const { createHandlers } = (await import(module)) as { createHandlers: () => Record<string, Handler> | Promise<Record<string, Handler>> };
const handlers = await createHandlers();
const running = new Map<number, AbortController>();
const port = parentPort!;

function send(message: FromThread): void {
  port.postMessage(message);
}

port.on("message", (message: ToThread) => {
  if (message.type === "abort") {
    running.get(message.call)?.abort(new Error(message.reason));
    return;
  }
  const { call, name, payload, job } = message;
  const controller = new AbortController();
  running.set(call, controller);
  const ctx: JobContext = {
    ...job,
    signal: controller.signal,
    log: async (text) => send({ type: "log", call, text }),
    progress: async (value) => send({ type: "progress", call, value }),
  };
  // Own handlers only: a name never reaches Object.prototype's members.
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  Promise.resolve()
    .then(() => {
      if (!handler) throw new Error(`the thread module has no handler for job ${name}`);
      return handler(payload, ctx) as unknown;
    })
    .then(
      (value) => send({ type: "result", call, value }),
      (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        const extra = e as Error & { code?: string; retryAfterMs?: number };
        send({ type: "error", call, error: { name: e.name, message: e.message, stack: e.stack, code: extra.code, retryAfterMs: extra.retryAfterMs } });
      },
    )
    .finally(() => running.delete(call));
});
send({ type: "ready" });
