/**
 * Deadlines of producer calls (redis/availability.ts), watched by one timer per bound instead of a
 * timer per call: a `setTimeout` and its `clearTimeout` per enqueue were a measurable part of a
 * producer's CPU per call. The calls that share a bound (`redisTimeoutMs`) are watched in the order
 * they were made, which is nearly always the order of their deadlines (a call that first waited for
 * the connection has an earlier one, and is put in its place), so only the first one needs a timer;
 * a call that is answered leaves its list in O(1).
 *
 * The timer may be due before the oldest deadline (that call was answered meanwhile): it then
 * re-arms for the new oldest, so a deadline is never missed and a busy producer re-arms about once
 * per bound, not once per call. The timer never keeps the process alive by itself: a watched call
 * has a command out, whose connection (its socket, or its reconnection timer) does that.
 */

/** A watched deadline; `cancel` once the call is answered (idempotent). */
export interface DeadlineWatch {
  cancel(): void;
}

class Entry implements DeadlineWatch {
  prev: Entry | undefined = undefined;
  next: Entry | undefined = undefined;
  constructor(
    readonly list: DeadlineList,
    readonly deadline: number,
    readonly expire: () => void,
  ) {}

  cancel(): void {
    this.list.remove(this);
  }
}

class DeadlineList {
  private head: Entry | undefined = undefined;
  private tail: Entry | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  /** When the armed timer is due (a Date.now() time). */
  private dueAt = 0;

  /** Adds in deadline order: after the last entry whose deadline is not later. */
  add(deadline: number, expire: () => void): Entry {
    const entry = new Entry(this, deadline, expire);
    let before = this.tail;
    while (before && before.deadline > deadline) before = before.prev;
    entry.prev = before;
    entry.next = before ? before.next : this.head;
    if (entry.next) entry.next.prev = entry;
    else this.tail = entry;
    if (before) before.next = entry;
    else this.head = entry;
    // Armed already for this deadline or an earlier one: it re-arms for the next when due.
    if (this.timer === undefined || this.dueAt > deadline) this.arm(deadline);
    return entry;
  }

  remove(entry: Entry): void {
    // Unlinked already (or never linked): an entry's `prev`/`next` are cleared when it leaves.
    if (entry !== this.head && entry.prev === undefined) return;
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
  }

  private arm(deadline: number): void {
    clearTimeout(this.timer);
    this.dueAt = deadline;
    this.timer = setTimeout(() => this.due(), Math.max(0, deadline - Date.now())).unref();
  }

  private due(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.head && this.head.deadline <= now) {
      const entry = this.head;
      this.remove(entry);
      entry.expire();
    }
    if (this.head) this.arm(this.head.deadline);
  }
}

/** One list per bound: the calls of a list get their deadlines in the order they are added. */
const lists = new Map<number, DeadlineList>();

/** Calls `expire` at `deadline` (a Date.now() time, `boundMs` from now) unless cancelled first. */
export function watchDeadline(deadline: number, boundMs: number, expire: () => void): DeadlineWatch {
  let list = lists.get(boundMs);
  if (!list) {
    list = new DeadlineList();
    lists.set(boundMs, list);
  }
  return list.add(deadline, expire);
}
