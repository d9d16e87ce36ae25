/**
 * Waits for a number of events (job completions, handler starts) with a deadline, so a system that
 * stalls or loses jobs fails its measurement with a clear message instead of hanging the bench.
 */
export class Countdown {
  private left: number;
  private resolve!: () => void;
  private reject!: (error: Error) => void;
  private timer: NodeJS.Timeout | undefined;
  /** Settles when `count` ticks arrived, or rejects when the deadline of `wait()` passes first. */
  readonly done: Promise<void>;

  constructor(private readonly count: number) {
    this.left = count;
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (count <= 0) this.resolve();
  }

  tick = (): void => {
    if (--this.left === 0) {
      clearTimeout(this.timer);
      this.resolve();
    }
  };

  get remaining(): number {
    return Math.max(0, this.left);
  }

  /** Resolves once every tick arrived; rejects after `timeoutMs` naming what was still missing. */
  wait(timeoutMs: number, what: string): Promise<void> {
    this.timer = setTimeout(() => this.reject(new Error(`${what}: ${this.remaining} of ${this.count} still missing after ${timeoutMs} ms`)), timeoutMs);
    return this.done;
  }
}
