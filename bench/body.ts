/**
 * Job bodies: the workloads send a `{ body }` of exactly 64 bytes, or of 1 KB for the `io` jobs of
 * the web-shaped workloads, so the three systems store and move the same payload. A body can carry
 * a tag (a sequence number, a send time) at its start.
 */

/** Bytes in every job's body. */
export const BODY_BYTES = 64;

/** Bytes in the body of an `io` job (the web-shaped workloads 7 and 8). */
export const IO_BODY_BYTES = 1024;

/** How long an `io` job's handler awaits, standing for a call to a database or an HTTP service. */
export const IO_WAIT_MS = 1;

/** Bodies starting with this mark fail their first attempt in the mixed workload, then succeed. */
const FAIL_MARK = "fail:";

/** A 64-byte body starting with `tag`. */
export function makeBody(tag: string): string {
  if (tag.length > BODY_BYTES) throw new Error(`body tag longer than ${BODY_BYTES} bytes: ${tag}`);
  return tag.padEnd(BODY_BYTES, ".");
}

/** `count` bodies tagged with their index; every `failEvery`-th one (when given) marked to fail once. */
export function makeBodies(count: number, failEvery?: number): string[] {
  const bodies = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const marked = failEvery !== undefined && i % failEvery === 0;
    bodies[i] = makeBody(`${marked ? FAIL_MARK : ""}${i}:`);
  }
  return bodies;
}

/** `count` 1 KB bodies for `io` jobs, tagged with their index. */
export function makeIoBodies(count: number): string[] {
  const bodies = new Array<string>(count);
  for (let i = 0; i < count; i++) bodies[i] = `io${i}:`.padEnd(IO_BODY_BYTES, ".");
  return bodies;
}

/** True for the body of an `io` job (Bee-Queue's handler, which sees no job name, tells them so). */
export function isIoBody(body: string): boolean {
  return body.length === IO_BODY_BYTES;
}

/** What an `io` job's handler does in every system: await 1 ms of (simulated) I/O. */
export function awaitIo(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, IO_WAIT_MS));
}

/** True for a body the mixed workload marked to fail its first attempt. */
export function failsFirstAttempt(body: string): boolean {
  return body.startsWith(FAIL_MARK);
}

/** A body carrying the time it was sent (`performance.now()`, same process), for latency. */
export function stampedBody(sentAtMs: number): string {
  return makeBody(`t${sentAtMs.toFixed(4)}:`);
}

/** The send time of a stamped body, or undefined for any other body. */
export function sentAtMs(body: string): number | undefined {
  if (body[0] !== "t") return undefined;
  return Number(body.slice(1, body.indexOf(":")));
}
