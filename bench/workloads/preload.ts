/** Fills the bench queue through a system's bulk call, a fixed chunk at a time, each chunk awaited. */
import type { BenchSystem, BulkOptions, JobKind } from "../systems/system.js";

/** Jobs per bulk call, the same for every system. */
export const BULK_CHUNK = 1_000;

export async function preload(system: BenchSystem, kind: JobKind, bodies: readonly string[], options?: BulkOptions): Promise<void> {
  for (let i = 0; i < bodies.length; i += BULK_CHUNK) {
    await system.enqueueBulk(kind, bodies.slice(i, i + BULK_CHUNK), options);
  }
}
