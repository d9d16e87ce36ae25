/**
 * Runs a queue's handlers in `worker_threads`, so CPU-heavy jobs neither block the event loop nor
 * delay the heartbeats that keep their leases. Each thread imports the pool's module and calls its
 * `createHandlers()` once; a job goes to the thread with the fewest running. Payloads and results
 * cross as structured clones; a thrown PermanentError or RateLimitError keeps its meaning.
 */
import { Worker as Thread } from "node:worker_threads";
import type { JobContext } from "../context.js";
import type { Handler } from "../definition.js";
import { PermanentError, RateLimitError } from "../errors.js";
import type { FromThread, ToThread } from "./thread-messages.js";

/** A queue's thread pool: where its handlers come from, and how many threads run them. */
export interface ThreadPoolOptions {
  /** A module (path or file URL) exporting `createHandlers(): Record<jobName, handler>`. */
  module: string | URL;
  /** Threads in the pool. (Default: the queue's concurrency) */
  threads?: number;
}

interface Call {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  ctx: JobContext;
}

const entry = new URL("./thread-bootstrap.mjs", import.meta.url);

export class ThreadPool {
  private readonly threads: Array<{ thread: Thread; busy: number; ready: Promise<void> }> = [];
  private readonly calls = new Map<number, Call>();
  private nextCall = 0;

  constructor(options: ThreadPoolOptions, defaultThreads: number) {
    const module = options.module instanceof URL ? options.module.href : new URL(options.module, `file://${process.cwd()}/`).href;
    for (let i = 0; i < (options.threads ?? defaultThreads); i++) {
      const thread = new Thread(entry, { workerData: { module } });
      const ready = new Promise<void>((resolve, reject) => {
        thread.once("error", reject);
        thread.on("message", (message: FromThread) => (message.type === "ready" ? resolve() : this.receive(message)));
      });
      ready.catch(() => undefined);
      this.threads.push({ thread, busy: 0, ready });
    }
  }

  /** A handler for `name` that runs in the pool. */
  handler(name: string): Handler {
    return async (payload: unknown, ctx: JobContext) => {
      const slot = this.threads.reduce((a, b) => (b.busy < a.busy ? b : a));
      await slot.ready;
      const call = this.nextCall++;
      slot.busy++;
      const post = (message: ToThread) => slot.thread.postMessage(message);
      const onAbort = () => post({ type: "abort", call, reason: String((ctx.signal.reason as Error)?.message ?? "aborted") });
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      try {
        return await new Promise((resolve, reject) => {
          this.calls.set(call, { resolve, reject, ctx });
          post({ type: "run", call, name, payload, job: { id: ctx.id, name: ctx.name, queue: ctx.queue, attempt: ctx.attempt } });
        });
      } finally {
        slot.busy--;
        this.calls.delete(call);
        ctx.signal.removeEventListener("abort", onAbort);
      }
    };
  }

  private receive(message: Exclude<FromThread, { type: "ready" }>): void {
    const call = this.calls.get(message.call);
    if (!call) return;
    if (message.type === "log") void call.ctx.log(message.text);
    else if (message.type === "progress") void call.ctx.progress(message.value);
    else if (message.type === "result") call.resolve(message.value);
    else call.reject(revive(message.error));
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map(({ thread }) => thread.terminate()));
  }
}

function revive(e: { name: string; message: string; stack?: string; code?: string; retryAfterMs?: number }): Error {
  const error =
    e.code === "E_PERMANENT"
      ? new PermanentError(e.message)
      : e.code === "E_RATE_LIMIT"
        ? new RateLimitError(e.retryAfterMs ?? 1_000, e.message)
        : new Error(e.message);
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
