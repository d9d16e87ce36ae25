/**
 * One queue's concurrency shared by the runners of its shards: a worker with `concurrency: 10` on a
 * queue of 3 shards runs at most 10 of its jobs at once, not 30, wherever they come from.
 *
 * Work-conserving but fair: a runner may fill every slot the others leave free, so a lone busy shard
 * gets the whole budget; but while another runner waits for a slot, none takes more than its fair
 * share (concurrency / shards, rounded up), so a shard with a backlog cannot starve the others: the
 * slots it frees go to the waiting runner.
 */

/** What the budget sees of a runner (QueueRunner implements it). */
export interface BudgetMember {
  /** Slots it holds: jobs running plus slots promised to fetches in flight. */
  readonly held: number;
  /** True while it waits for a free slot to fetch more. */
  readonly waiting: boolean;
  /** Wakes it if it waits for a slot. */
  wake(): void;
}

export class SlotBudget {
  private readonly members: BudgetMember[] = [];

  constructor(private readonly concurrency: number) {}

  join(member: BudgetMember): void {
    this.members.push(member);
  }

  /**
   * Slots `member` may fill now; below 0 when it holds more than it may (the caller counts the slots
   * it is about to free against that, as QueueRunner does for a batch of completions).
   */
  free(member: BudgetMember): number {
    let held = 0;
    let othersWaiting = false;
    for (const m of this.members) {
      held += m.held;
      if (m !== member && m.waiting) othersWaiting = true;
    }
    const free = this.concurrency - held;
    if (!othersWaiting) return free;
    const share = Math.ceil(this.concurrency / this.members.length);
    return Math.min(free, share - member.held);
  }

  /** `member` holds fewer slots than before: the others waiting for one may take them. */
  released(member: BudgetMember): void {
    for (const m of this.members) if (m !== member && m.waiting) m.wake();
  }
}
