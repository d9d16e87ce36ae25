import type { StoredPayload } from "../payload/envelope.js";

/** A job as `fetch-10.lua` hands it to a worker: leased, with the token that fences its completion. */
export interface LeasedJob {
  /** The job's id. */
  readonly id: string;
  /** Fences this lease: a completion with an older token is refused once the job was reclaimed. */
  readonly token: string;
  /** The job type's name. */
  readonly name: string;
  /** The payload as stored: JSON text, or a binary envelope (a Buffer, when fetched with buffer replies). */
  readonly payload: StoredPayload;
  /** The payload schema version it was written at. */
  readonly version: number;
  /** 1-based number of this run. */
  readonly attempt: number;
  /** Runs before it is dead-lettered. */
  readonly maxAttempts: number;
  /** Per-enqueue override of the job type's timeout. */
  readonly timeoutMs?: number;
  /** When it was enqueued, in ms since the epoch. */
  readonly createdAt: number;
  /** When this run was leased, on Redis's clock. */
  readonly startedAt: number;
  /**
   * The trace context its producer stored (W3C `traceparent`/`tracestate`, encoded), when the client
   * that enqueued it had `tracing` on; a worker with `tracing` on makes its span a child of it.
   */
  readonly traceContext?: string;
}
