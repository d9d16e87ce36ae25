/** The CPU-bound job of `npm run bench:threads`, loaded by each worker thread (and by the in-process run). */
import { pbkdf2Sync } from "node:crypto";

/** About `rounds` × 1 ms of pure CPU on this machine's cores: key stretching, as a password hash does. */
export function stretch(rounds: number): string {
  let key = Buffer.from("taskq");
  for (let i = 0; i < rounds; i++) key = pbkdf2Sync(key, "salt", 1_000, 32, "sha256");
  return key.toString("hex").slice(0, 16);
}

export function createHandlers() {
  return { hash: async (payload: { rounds: number }) => stretch(payload.rounds) };
}
