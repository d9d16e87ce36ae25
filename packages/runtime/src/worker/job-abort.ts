/**
 * How a running job is stopped from outside its handler (timeout, shutdown, lost lease). A Node
 * AbortController costs about a microsecond and a half to make, a noticeable share of a no-op job,
 * and most handlers never look at `ctx.signal`: the controller is made only when one does.
 */
export class JobAbort {
  private controller: AbortController | undefined;
  private listeners: Array<(reason: unknown) => void> | undefined;
  private abortedWith: { reason: unknown } | undefined;

  /** The handler's signal; aborted already if the job was. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortedWith) this.controller.abort(this.abortedWith.reason);
    }
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.abortedWith !== undefined;
  }

  get reason(): unknown {
    return this.abortedWith?.reason;
  }

  /** The first call wins; later ones change nothing, as with AbortController. */
  abort(reason: Error): void {
    if (this.abortedWith) return;
    this.abortedWith = { reason };
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  /** Calls `listener` once, when the job is aborted (at once if it already is). */
  onAbort(listener: (reason: unknown) => void): void {
    if (this.abortedWith) listener(this.abortedWith.reason);
    else (this.listeners ??= []).push(listener);
  }

  /** Settles as `work` does, or rejects with the abort's reason first. */
  race<T>(work: T | PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.onAbort(reject);
      Promise.resolve(work).then(resolve, reject);
    });
  }
}
