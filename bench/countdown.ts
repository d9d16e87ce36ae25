/**
 * Waits for a number of events (job completions, handler starts), failing when none arrives for a
 * while, so a system that stalls or loses jobs fails its measurement with a clear message instead of
 * hanging the bench — while a slow run on a loaded machine, still making progress, is let finish.
 */
export class Countdown {
  private left: number;
  private resolve!: () => void;
  private reject!: (error: Error) => void;
  private timer: NodeJS.Timeout | undefined;
  /** How often `wait` looks for progress; checking a counter once a second costs the measurement nothing. */
  private static readonly CHECK_MS = 1_000;
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
      clearInterval(this.timer);
      this.resolve();
    }
  };

  get remaining(): number {
    return Math.max(0, this.left);
  }

  /**
   * Resolves once every tick arrived; rejects, naming what was still missing, when no tick arrived
   * for `stallMs`.
   */
  wait(stallMs: number, what: string): Promise<void> {
    if (this.left <= 0) return this.done;
    let seen = this.left;
    let lastProgress = performance.now();
    this.timer = setInterval(() => {
      if (this.left !== seen) {
        seen = this.left;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress >= stallMs) {
        clearInterval(this.timer);
        this.reject(new Error(`${what}: ${this.remaining} of ${this.count} still missing, none for ${stallMs} ms`));
      }
    }, Countdown.CHECK_MS);
    return this.done;
  }
}
