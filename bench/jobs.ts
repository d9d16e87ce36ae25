/**
 * The bench's jobs, in taskq's own language: `taskq generate bench/jobs.ts --out bench/generated`
 * turns them into the typed client and worker that bench/systems/taskq.ts drives.
 */
import { Queue, Job, type JobContext } from "@taskq/runtime";
import { awaitIo, failsFirstAttempt } from "./body.js";

/** Every bench job carries a 64-byte body. */
export type BenchPayload = {
  /** @maxLength 64 */
  body: string;
};

/** The payload of the web-shaped workloads: a 1 KB body. */
export type BenchIoPayload = {
  /** @maxLength 1024 */
  body: string;
};

/** What the bench observes from inside a handler; the BullMQ and Bee-Queue handlers call the same. */
export interface BenchProbe {
  started(body: string): void;
}

const silent: BenchProbe = { started() {} };

@Queue("bench", { concurrency: 100, prefix: "tqbench" })
export class BenchJobs {
  constructor(private readonly probe: BenchProbe = silent) {}

  /** Does nothing, so the bench measures the queue and not the work. */
  @Job({ attempts: 1 })
  async noop(payload: BenchPayload): Promise<void> {
    this.probe.started(payload.body);
  }

  /** Fails its first attempt when its body is marked, then succeeds on the retry 10 ms later. */
  @Job({ attempts: 2, backoff: { type: "fixed", delayMs: 10 } })
  async flaky(payload: BenchPayload, ctx: JobContext): Promise<void> {
    this.probe.started(payload.body);
    if (ctx.attempt === 1 && failsFirstAttempt(payload.body)) throw new Error("flaky: fails its first attempt");
  }

  /** Awaits 1 ms of (simulated) I/O, as a handler calling a database or an HTTP service does. */
  @Job({ attempts: 1 })
  async io(payload: BenchIoPayload): Promise<void> {
    this.probe.started(payload.body);
    await awaitIo();
  }
}
