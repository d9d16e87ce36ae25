/**
 * Where alerts go. A target is a function taking an alert; `logAlerts` and `webhookAlerts` make the
 * two common ones, and any callback is a target as it is.
 */
export interface Alert {
  rule: string;
  kind: string;
  queue: string;
  /** `firing` when the rule starts to hold, `resolved` when it stops. */
  status: "firing" | "resolved";
  value: number;
  threshold: number;
  message: string;
  at: Date;
}

export type AlertTarget = (alert: Alert) => void | Promise<void>;

/** Writes one line per alert. (Default: `console.warn`) */
export function logAlerts(write: (line: string) => void = console.warn): AlertTarget {
  return (alert) => write(`taskq alert ${alert.status}: [${alert.rule}] ${alert.message}`);
}

export interface WebhookOptions {
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
