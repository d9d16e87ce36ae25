/** A job as `fetch-9.lua` hands it to a worker: leased, with the token that fences its completion. */
export interface LeasedJob {
  readonly id: string;
  readonly token: string;
  readonly name: string;
  /** The payload as stored (JSON). */
  readonly payload: string;
  readonly version: number;
  /** 1-based number of this run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Per-enqueue override of the job type's timeout. */
  readonly timeoutMs?: number;
  readonly createdAt: number;
  /** When this run was leased, on Redis's clock. */
  readonly startedAt: number;
}

const FIELDS = 10;

/** Parses fetch-9.lua's reply: { nextDueInMs, then 9 fields per job }. */
export function parseFetchReply(reply: unknown[]): { nextDueInMs: number; jobs: LeasedJob[] } {
  const jobs: LeasedJob[] = [];
  for (let i = 1; i + FIELDS <= reply.length; i += FIELDS) {
    const f = reply.slice(i, i + FIELDS) as Array<string | number | null>;
    jobs.push({
      id: String(f[0]),
      token: String(f[1]),
      name: String(f[2]),
      payload: String(f[3] ?? ""),
      version: Number(f[4] ?? 1),
      attempt: Number(f[5]),
      maxAttempts: Number(f[6]),
      timeoutMs: f[7] === null || f[7] === undefined ? undefined : Number(f[7]),
      createdAt: Number(f[8]),
      startedAt: Number(f[9]),
    });
  }
  return { nextDueInMs: Number(reply[0]), jobs };
}
