/**
 * The bench's jobs.ts: `queues` queues of `jobsPerQueue` jobs each, every job with its own payload
 * type (strings with constraints, numbers, an enum, an array, an optional nested object, a Date) and
 * a result type, the way a large real project looks. Deterministic: the same numbers, the same text.
 */

export function makeJobsTs(queues: number, jobsPerQueue: number): string {
  const parts = [`import { Queue, Job, type JobContext } from "@taskq/runtime";\n`, sharedTypes()];
  for (let q = 0; q < queues; q++) {
    const jobs = Array.from({ length: jobsPerQueue }, (_, j) => q * jobsPerQueue + j);
    parts.push(...jobs.map(payloadTypes));
    parts.push(queueClass(q, jobs));
  }
  return parts.join("\n");
}

function sharedTypes(): string {
  return `export enum Channel {
  Email = "email",
  Sms = "sms",
  Push = "push",
}

export type Address = {
  /** @minLength 1 */
  street: string;
  /** @pattern ^[0-9]{5}$ */
  zip: string;
  country: "fr" | "de" | "us";
};
`;
}

function payloadTypes(n: number): string {
  return `/** The payload of job${n}. */
export type Job${n}Payload = {
  /** @format uuid */
  id: string;
  /**
   * @minLength 1
   * @maxLength 200
   */
  title: string;
  /**
   * @integer
   * @minimum 0
   */
  count: number;
  channel: Channel;
  /** @maxItems 10 */
  tags: string[];
  address?: Address;
  at: Date;
  note: string | null;
};

export type Job${n}Result = { ok: boolean; handled: number };
`;
}

function queueClass(q: number, jobs: number[]): string {
  const methods = jobs.map(
    (n) => `  /** Handles job${n}. */
  @Job({ attempts: ${1 + (n % 5)}, priority: "${["critical", "high", "normal", "low", "batch"][n % 5]}" })
  async job${n}(payload: Job${n}Payload, ctx: JobContext): Promise<Job${n}Result> {
    return { ok: payload.count >= 0, handled: ctx.attempt };
  }`,
  );
  return `@Queue("queue${q}", { concurrency: ${1 + (q % 4)} })
export class Queue${q}Jobs {
${methods.join("\n\n")}
}
`;
}
