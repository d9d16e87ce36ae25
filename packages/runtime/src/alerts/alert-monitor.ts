import { maskCredentials } from "../redis/redis-url.js";
import { QueueInspector } from "../admin/queue-inspector.js";
import { judge, type AlertRule, type Snapshot } from "./alert-rules.js";
import type { Alert, AlertTarget } from "./alert-targets.js";

/** Options of `new AlertMonitor(options)`. */
export interface AlertMonitorOptions {
  /** What to read the counts through (its queues, prefix and deadAfterMs apply). */
  inspector: QueueInspector;
  /** The conditions to watch, each judged per queue. */
  rules: AlertRule[];
  /** Where alerts go: `logAlerts()`, `webhookAlerts({ url })`, or any callback. */
  targets: AlertTarget[];
  /** Between two checks. (Default: 5 000 ms) */
  intervalMs?: number;
  /** A check or a delivery that failed. (Default: console.error) */
  onError?: (error: Error) => void;
}

/**
 * Checks alert rules against the queues' counts every `intervalMs` and tells the targets when a rule
 * starts to hold (`firing`) and when it stops (`resolved`), once each, per rule and queue: a queue
 * that stays deep is one alert, not one a minute.
 */
export class AlertMonitor {
  private readonly firing = new Set<string>();
  private history: Snapshot[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Alert[]> | undefined;

  constructor(private readonly options: AlertMonitorOptions) {}

  /** Checks now, then every `intervalMs`; a second call does nothing. */
  start(): void {
    if (this.timer) return;
    const tick = () => void this.check().catch((error: Error) => this.report(error));
    tick();
    this.timer = setInterval(tick, this.options.intervalMs ?? 5_000);
  }

  /** Stops checking and waits for a check under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Checks every rule once, delivers the changes and returns them. */
  check(): Promise<Alert[]> {
    this.running = this.evaluate();
    return this.running;
  }

  private async evaluate(): Promise<Alert[]> {
    const stats = await this.options.inspector.stats();
    const now: Snapshot = { at: Date.now(), queues: new Map(stats.map((q) => [q.queue, q])) };
    const longest = Math.max(0, ...this.options.rules.map((r) => ("withinMs" in r ? r.withinMs : 0)));
    this.history = [...this.history.filter((s) => s.at >= now.at - longest), now];
    const changes: Alert[] = [];
    for (const [index, rule] of this.options.rules.entries()) {
      for (const queue of rule.queue ? [rule.queue] : [...now.queues.keys()]) {
        const verdict = judge(rule, queue, now, this.history);
        if (!verdict) continue;
        const key = `${index}\u0000${queue}`;
        if (verdict.firing === this.firing.has(key)) continue;
        if (verdict.firing) this.firing.add(key);
        else this.firing.delete(key);
        changes.push({
          rule: rule.name ?? rule.kind,
          kind: rule.kind,
          queue,
          status: verdict.firing ? "firing" : "resolved",
          value: verdict.value,
          threshold: verdict.threshold,
          message: verdict.message,
          at: new Date(now.at),
        });
      }
    }
    await Promise.all(
      changes.flatMap((alert) =>
        this.options.targets.map((target) =>
          Promise.resolve()
            .then(() => target(alert))
            .catch((error: Error) => this.report(error)),
        ),
      ),
    );
    return changes;
  }

  private report(error: Error): void {
    (this.options.onError ?? ((e: Error) => console.error(`taskq alerts: ${maskCredentials(e.message)}`)))(error);
  }
}
