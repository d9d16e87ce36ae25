/**
 * Reports the keys of the wrong type a fetch passed over (see fetch-jobs.lua): the rest of the queue
 * runs, and the operator hears of each key once a minute while it stays broken, not at every fetch.
 */
import { TaskqError } from "../errors.js";

/** How often the same broken key is reported while it stays broken. */
const REPORT_EVERY_MS = 60_000;

export class BrokenKeyReports {
  private last: { key: string; at: number } | undefined;

  constructor(
    private readonly queue: string,
    private readonly report: (error: Error) => void,
  ) {}

  /** `broken`: what the fetch reply says, "<key>: <error>". */
  note(broken: string, now = Date.now()): void {
    if (this.last?.key === broken && now - this.last.at < REPORT_EVERY_MS) return;
    this.last = { key: broken, at: now };
    this.report(
      new TaskqError(
        "E_WRONG_TYPE",
        `queue ${this.queue}: a key holds the wrong type of value, and what it holds is passed over until it is fixed or deleted: ${broken}`,
      ),
    );
  }
}
