/**
 * Collects leased jobs of one batched job type until `size` have come or `waitMs` has passed since the
 * first, then runs them as one batch; each job's promise settles with its own outcome. The jobs stay
 * leased (and heartbeated) while they wait, so a batch that never runs is reclaimed like any job.
 */
import type { JobDefinition } from "../definition.js";
import type { BackoffFunction } from "../options.js";
import type { LeasedJob } from "./leased-job.js";
import type { JobAbort } from "./job-abort.js";
import { runBatch, type BatchHandler } from "./run-batch.js";
import type { Outcome } from "./run-job.js";

interface Waiting {
  job: LeasedJob;
  abort: JobAbort;
  resolve: (outcome: Outcome) => void;
}

export class Batcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly definition: JobDefinition<any, any>,
    private readonly handler: BatchHandler,
    private readonly queue: string,
    private readonly log: (id: string, message: string) => Promise<void>,
    private readonly backoff?: BackoffFunction,
  ) {}

  add(job: LeasedJob, abort: JobAbort): Promise<Outcome> {
    return new Promise((resolve) => {
      this.waiting.push({ job, abort, resolve });
      const { size, waitMs } = this.definition.batch!;
      if (this.waiting.length >= size) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), waitMs);
    });
  }

  /** Runs what is waiting now (at shutdown too, so nothing is left holding a slot). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, this.definition.batch!.size);
    if (batch.length === 0) return;
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    // One signal for the batch: any member's abort (shutdown, a lost lease) aborts the whole batch.
    const controller = new AbortController();
    for (const w of batch) w.abort.onAbort((reason) => controller.abort(reason));
    void runBatch({
      jobs: batch.map((w) => w.job),
      definition: this.definition,
      handler: this.handler,
      backoff: this.backoff,
      queue: this.queue,
      controller,
      log: (message) => Promise.all(batch.map((w) => this.log(w.job.id, message))).then(() => undefined),
      now: Date.now,
    }).then((outcomes) => batch.forEach((w, i) => w.resolve(outcomes[i])));
  }
}
