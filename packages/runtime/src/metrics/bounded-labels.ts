/**
 * Label values with a bound. Every distinct label value is a series Prometheus keeps (and the process
 * holds in memory), and job and queue names reach the metrics from data: any producer can enqueue
 * under a made-up name, any worker can fetch a hand-written record. So a label takes only the names
 * taskq was built with (the jobs of the worker or client, the queues it serves), or, when none were
 * given, the first MAX_DISTINCT it sees; anything else is counted under the one value `other`.
 */

/** The label value of every name outside the bound. */
export const OTHER_LABEL = "other";

/** Names labelled as themselves when no list was given. (Default bound) */
export const MAX_DISTINCT = 100;

export class BoundedLabel {
  private readonly seen: Set<string>;

  /** `known`: the only names labelled as themselves; undefined: the first `maxDistinct` seen. */
  constructor(
    private readonly known?: Iterable<string>,
    private readonly maxDistinct = MAX_DISTINCT,
  ) {
    this.seen = new Set(known);
  }

  /** `name` itself when within the bound, else `other`. */
  of(name: unknown): string {
    if (typeof name !== "string") return OTHER_LABEL;
    if (this.seen.has(name)) return name;
    if (this.known === undefined && this.seen.size < this.maxDistinct) {
      this.seen.add(name);
      return name;
    }
    return OTHER_LABEL;
  }
}

/** Seconds between two times in ms, or undefined when either is not a number (a garbled record). */
export function secondsBetween(fromMs: number, toMs: number): number | undefined {
  const seconds = (toMs - fromMs) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}
