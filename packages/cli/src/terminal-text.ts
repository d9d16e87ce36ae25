/**
 * Text from Redis shown on the operator's terminal. Handler errors, logs, job names and payloads are
 * data anyone who can enqueue or fail a job controls; raw, an escape sequence in them could rewrite
 * the screen, hide lines or set the window title. Every control character (C0, DEL, C1) is shown as
 * a visible escape instead (`\x1b`, `\n`), and credentials in Redis URLs are masked.
 */

/**
 * `scheme://user:password@` → `scheme://***@`, as the runtime's `maskCredentials` does. Repeated here
 * so that printing an error does not load the runtime (ioredis, the scripts) into commands that never
 * touch Redis, such as `taskq generate`.
 */
export function maskCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@");
}

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every control character escaped and Redis URL credentials masked, fit for a terminal. */
export function terminalText(text: string): string {
  return maskCredentials(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** JSON text with the C1 controls and DEL escaped too (JSON.stringify escapes only C0). */
export function terminalJson(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
