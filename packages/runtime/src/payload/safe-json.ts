/**
 * JSON.parse for stored data, which may be hostile: keys that could reach an object's prototype chain
 * are dropped.
 */

/** Keys that must never reach an object's prototype chain through a parser. */
export const POISONED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
/**
 * Text that may hold one of those keys. A JSON string spells its characters either as themselves or
 * as `\u` escapes (`"\u005f_proto__"` is `"__proto__"` once parsed; no other escape yields a letter
 * or `_`), so text with neither a literal key nor any `\u` escape holds none of them.
 */
const MAY_BE_POISONED = /"(?:__proto__|constructor|prototype)"|\\u/;

/**
 * JSON.parse without those keys, judged on the parsed keys (what an escape spells), not on the text.
 * A reviver slows every parse, so it runs only when the text may hold one.
 */
export function parseJsonSafely(json: string): unknown {
  if (!MAY_BE_POISONED.test(json)) return JSON.parse(json);
  return JSON.parse(json, (key, value: unknown) => (POISONED_KEYS.has(key) ? undefined : value));
}
