import { threadId } from "node:worker_threads";
import { Job, PermanentError, Queue, type JobContext } from "@taskq/runtime";

/** A message for a new user. */
export type Welcome = {
  /** @format email */
  to: string;
  /**
   * @minLength 1
   * @maxLength 20
   */
  name: string;
  /** When the user signed up. */
  signedUpAt: Date;
};

export type Sent = { messageId: string; signedUpYear: number };

export type Digest = { text: string };
export type DigestResult = { sha: string; threadId: number };

@Queue("mail", { concurrency: 2 })
export class MailJobs {
  /** Sends the welcome email. */
  @Job({ attempts: 2 })
  async sendWelcome(payload: Welcome, ctx: JobContext): Promise<Sent> {
    return { messageId: `welcome-${ctx.id}-${payload.name}`, signedUpYear: payload.signedUpAt.getUTCFullYear() };
  }

  /** Always refuses: its job goes to the dead-letter queue at once. */
  @Job()
  async bounce(payload: { to: string }): Promise<void> {
    throw new PermanentError(`mailbox ${payload.to} does not exist`);
  }
}

@Queue("cpu", { pool: "threads", concurrency: 1 })
export class CpuJobs {
  /** CPU-bound work, run in a worker thread. */
  @Job()
  async digest(payload: Digest): Promise<DigestResult> {
    const { createHash } = await import("node:crypto");
    return { sha: createHash("sha256").update(payload.text).digest("hex"), threadId };
  }
}
