/**
 * Job bodies: every workload sends a `{ body }` of exactly 64 bytes, so the three systems store and
 * move the same payload. A body can carry a tag (a sequence number, a send time) at its start.
 */

/** Bytes in every job's body. */
export const BODY_BYTES = 64;

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
