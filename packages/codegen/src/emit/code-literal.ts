/** JSON values written as TypeScript source: numbers with `_` separators, keys bare where they can be. */
import { isIdentifier } from "../analyze/names.js";
import type { JsonValue } from "../manifest.js";

/** `60000` → `60_000`; fractions, small and huge numbers as JavaScript writes them. */
export function numberCode(value: number): string {
  const text = String(value);
  if (!Number.isSafeInteger(value) || Math.abs(value) < 10_000) return text;
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, "_");
}

/**
 * A property key: bare when it is an identifier, quoted otherwise. `__proto__` is computed: in an
 * object literal, bare or quoted, it sets the object's prototype rather than making a key (a job named
 * `__proto__` would vanish from `definitions` and the worker's registrations).
 */
export function keyCode(key: string): string {
  if (key === "__proto__") return '["__proto__"]';
  return isIdentifier(key) ? key : JSON.stringify(key);
}

/** A JSON value on one line: `{ type: "exponential", delayMs: 60_000 }`. */
export function literalCode(value: JsonValue): string {
  if (typeof value === "number") return numberCode(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(literalCode).join(", ")}]`;
  const entries = Object.entries(value).map(([key, item]) => `${keyCode(key)}: ${literalCode(item)}`);
  return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}
