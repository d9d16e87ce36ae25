// Where alerts go: `logAlerts` and `webhookAlerts` make the two common targets.

/** A rule that started or stopped holding for one queue. */
export interface Alert {
  /** The rule's name (its kind when it has none). */
  rule: string;
  /** The rule's kind (`queueDepth`, `failureRate`, …). */
  kind: string;
  /** The queue it holds for. */
  queue: string;
  /** `firing` when the rule starts to hold, `resolved` when it stops. */
  status: "firing" | "resolved";
  /** The measured value (a count, a rate). */
  value: number;
  /** The rule's threshold it was compared with. */
  threshold: number;
  /** One line for a person, with the queue, value and threshold. */
  message: string;
  /** When it was judged. */
  at: Date;
}

/**
 * Where alerts go: a function taking an alert. `logAlerts` and `webhookAlerts` make the two common ones,
 * and any callback is a target as it is; a target that throws or rejects is reported, not retried.
 */
export type AlertTarget = (alert: Alert) => void | Promise<void>;

/** Writes one line per alert. (Default: `console.warn`) */
export function logAlerts(write: (line: string) => void = console.warn): AlertTarget {
  return (alert) => write(`taskq alert ${alert.status}: [${alert.rule}] ${alert.message}`);
}

/** Options of {@link webhookAlerts}. */
export interface WebhookOptions {
  /** Where each alert is POSTed as JSON. */
  url: string;
  /** Tries after the first one fails (non-2xx answer or no answer). (Default: 3) */
  retries?: number;
  /** Wait before the first retry; doubles each time. (Default: 500 ms) */
  backoffMs?: number;
  /** Extra headers, e.g. an authorization. (Default: none) */
  headers?: Record<string, string>;
  /** Gives up on one try after this long. (Default: 5 000 ms) */
  timeoutMs?: number;
}

/** POSTs each alert as JSON, retrying with backoff; rejects once every try failed. */
export function webhookAlerts(options: WebhookOptions): AlertTarget {
  const retries = options.retries ?? 3;
  return async (alert) => {
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, (options.backoffMs ?? 500) * 2 ** (attempt - 1)));
      try {
        const response = await fetch(options.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers },
          body: JSON.stringify(alert),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
        if (response.ok) return;
        lastError = new Error(`webhook ${options.url} answered ${response.status}`);
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`alert not delivered to ${options.url} after ${retries + 1} tries: ${(lastError as Error)?.message ?? lastError}`, { cause: lastError });
  };
}
