/**
 * How old a fetch reply is when a worker reads it, on Redis's clock. A process frozen (SIGSTOP, a VM
 * pause, a long GC) while a reply sat in its socket must not run jobs whose leases may have run out and
 * been taken back, and so perhaps run elsewhere meanwhile. A fetch reply says when Redis leased its
 * jobs; the offset between Redis's clock and this process's comes from replies that arrived quickly.
 */

/** A reply this quick says, within this much, when its leases were granted by this process's clock. */
const FRESH_REPLY_MS = 100;

export class ReplyClock {
  /** Redis's clock minus this process's, from the last reply that came back quickly. */
  private offsetMs: number | undefined;

  /** Milliseconds between the lease (`leasedAt`, Redis time) and now, for a call sent at `sentAt`. */
  age(leasedAt: number, sentAt: number): number {
    const receivedAt = Date.now();
    if (receivedAt - sentAt <= FRESH_REPLY_MS) this.offsetMs = leasedAt - receivedAt;
    return receivedAt + (this.offsetMs ?? 0) - leasedAt;
  }
}
