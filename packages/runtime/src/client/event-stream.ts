/**
 * An async iterator fed by pushes (pub/sub messages), with a bounded buffer: a consumer slower than
 * the messages loses the oldest ones, never memory. What it lost is counted, and `onDrop` says how
 * the consumer hears of it (an item of its own, or nothing when only the newest value matters).
 */
export interface EventStreamOptions<T> {
  /** Most items held for a consumer that is behind; must be a positive integer. */
  readonly capacity: number;
  /** The item that reports `count` items dropped since the last report; undefined: none is sent. */
  readonly onDrop?: (count: number) => T | undefined;
  /** Called once when the stream ends, whatever ended it (return(), end(), fail()). */
  readonly onClose?: () => void;
}

export class EventStream<T> implements AsyncIterableIterator<T> {
  /** A ring of `capacity` slots: `head` is the oldest item, `size` how many are held. */
  private readonly ring: Array<T | undefined>;
  private head = 0;
  private size = 0;
  /** Items dropped and not reported yet. */
  private unreported = 0;
  /** Every item dropped since the stream began. */
  private droppedTotal = 0;
  private ended = false;
  private error: Error | undefined;
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private rejecter: ((error: Error) => void) | undefined;

  constructor(private readonly options: EventStreamOptions<T>) {
    this.ring = new Array<T | undefined>(options.capacity);
  }

  /** How many items a slow consumer has lost so far. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** True once the stream has ended (its buffered items may still be read). */
  get closed(): boolean {
    return this.ended;
  }

  /** Hands `item` to a waiting consumer, or buffers it, dropping the oldest when the buffer is full. */
  push(item: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = this.rejecter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    const capacity = this.ring.length;
    if (this.size === capacity) {
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % capacity;
      this.size--;
      this.unreported++;
      this.droppedTotal++;
    }
    this.ring[(this.head + this.size) % capacity] = item;
    this.size++;
  }

  /** Ends the stream: the consumer reads what is buffered, then `done`. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onClose?.();
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = this.rejecter = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  /** Ends the stream with an error, thrown by the consumer's next read once the buffer is read. */
  fail(error: Error): void {
    if (this.ended) return;
    this.error = error;
    if (this.rejecter) {
      const reject = this.rejecter;
      this.waiter = this.rejecter = undefined;
      this.ended = true;
      this.options.onClose?.();
      reject(error);
      return;
    }
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.unreported > 0) {
      const report = this.options.onDrop?.(this.unreported);
      this.unreported = 0;
      if (report !== undefined) return Promise.resolve({ value: report, done: false });
    }
    if (this.size > 0) {
      const item = this.ring[this.head] as T;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.ring.length;
      this.size--;
      return Promise.resolve({ value: item, done: false });
    }
    if (this.error) {
      const error = this.error;
      this.error = undefined;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.rejecter = reject;
    });
  }

  /** Stops the stream (`break` in a `for await` calls it): unsubscribes, drops what is buffered. */
  return(): Promise<IteratorResult<T>> {
    this.ring.fill(undefined);
    this.size = 0;
    this.unreported = 0;
    this.error = undefined;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
