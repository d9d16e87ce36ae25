// Alert rules (see `AlertRule`) and how each is judged against the queues' counts.
import type { QueueStats } from "../admin/queue-stats.js";

/** What every alert rule may say beside its kind. */
interface RuleBase {
  /** Shown in alerts. (Default: the rule's kind) */
  name?: string;
  /** Only this queue. (Default: every queue) */
  queue?: string;
}

/**
 * A condition on a queue's counts that fires an alert while it holds. Checked per queue (every queue,
 * or the one a rule names); windowed rules compare the newest counts with the oldest ones still inside
 * their window, so they need no counters of their own in Redis.
 */
export type AlertRule = RuleBase &
  (
    | {
        /** Too many jobs in one state. */
        kind: "queueDepth";
        /** (Default: `waiting`) */
        state?: "waiting" | "delayed" | "active" | "dead";
        /** Fires when the count is above this. */
        above: number;
      }
    | {
        /** Jobs dead-lettered too fast. */
        kind: "deadLetterGrowth";
        /** Fires when at least this many jobs died within the window. */
        increaseBy: number;
        /** The window. */
        withinMs: number;
      }
    | {
        /** Too large a share of finished jobs died. */
        kind: "failureRate";
        /** Fires when dead / (dead + completed) in the window is above this, 0..1. */
        above: number;
        /** The window. */
        withinMs: number;
        /** Jobs finished in the window before the rate counts. (Default: 10) */
        minJobs?: number;
      }
    | {
        /** Workers stopped heartbeating. */
        kind: "deadWorkers";
        /** Fires when at least this many of the queue's workers are dead. (Default: 1) */
        atLeast?: number;
      }
  );

/** The counts of every queue at one moment. */
export interface Snapshot {
  at: number;
  queues: Map<string, QueueStats>;
}

export interface Judgement {
  firing: boolean;
  value: number;
  threshold: number;
  message: string;
}

/** Judges one rule for one queue; undefined when there is not enough history yet. */
export function judge(rule: AlertRule, queue: string, now: Snapshot, history: Snapshot[]): Judgement | undefined {
  const q = now.queues.get(queue);
  if (!q) return undefined;
  switch (rule.kind) {
    case "queueDepth": {
      const state = rule.state ?? "waiting";
      return {
        firing: q[state] > rule.above,
        value: q[state],
        threshold: rule.above,
        message: `${queue}: ${q[state]} ${state} jobs (alert above ${rule.above})`,
      };
    }
    case "deadWorkers": {
      const atLeast = rule.atLeast ?? 1;
      return {
        firing: q.workers.dead >= atLeast,
        value: q.workers.dead,
        threshold: atLeast,
        message: `${queue}: ${q.workers.dead} dead worker(s), ${q.workers.live} live`,
      };
    }
    case "deadLetterGrowth": {
      const then = oldestWithin(history, now.at - rule.withinMs)?.queues.get(queue);
      if (!then) return undefined;
      const growth = q.dead - then.dead;
      return {
        firing: growth >= rule.increaseBy,
        value: growth,
        threshold: rule.increaseBy,
        message: `${queue}: ${growth} job(s) dead-lettered in ${rule.withinMs / 1000} s (alert at ${rule.increaseBy})`,
      };
    }
    case "failureRate": {
      const then = oldestWithin(history, now.at - rule.withinMs)?.queues.get(queue);
      if (!then) return undefined;
      // Completed counts shrink as old results are trimmed: a negative change counts as none.
      const failed = Math.max(0, q.dead - then.dead);
      const total = failed + Math.max(0, q.completed - then.completed);
      if (total < (rule.minJobs ?? 10)) return { firing: false, value: 0, threshold: rule.above, message: `${queue}: too few jobs to judge` };
      const rate = failed / total;
      return {
        firing: rate > rule.above,
        value: rate,
        threshold: rule.above,
        message: `${queue}: ${Math.round(rate * 100)}% of ${total} jobs failed in ${rule.withinMs / 1000} s (alert above ${Math.round(rule.above * 100)}%)`,
      };
    }
  }
}

function oldestWithin(history: Snapshot[], since: number): Snapshot | undefined {
  return history.find((s) => s.at >= since);
}
