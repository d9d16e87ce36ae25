/** The messages between a worker's main thread and its pool threads. */
export type ToThread =
  | { type: "run"; call: number; name: string; payload: unknown; job: { id: string; name: string; queue: string; attempt: number } }
  | { type: "abort"; call: number; reason: string };

export type FromThread =
  | { type: "ready" }
  | { type: "result"; call: number; value: unknown }
  | { type: "error"; call: number; error: { name: string; message: string; stack?: string; code?: string; retryAfterMs?: number } }
  | { type: "log"; call: number; text: string }
  | { type: "progress"; call: number; value: unknown };
