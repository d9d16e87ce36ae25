/**
 * JSON.parse for stored data, which may be hostile: keys that could reach an object's prototype chain
 * are dropped.
 */

/** Keys that must never reach an object's prototype chain through a parser. */
export const POISONED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
const MAY_BE_POISONED = /"(?:__proto__|constructor|prototype)"/;

/** JSON.parse without those keys. A reviver slows every parse, so it runs only when one may be there. */
export function parseJsonSafely(json: string): unknown {
  if (!MAY_BE_POISONED.test(json)) return JSON.parse(json);
  return JSON.parse(json, (key, value) => (POISONED_KEYS.has(key) ? undefined : value));
}
