/**
 * A script's KEYS for one queue, made once per queue (its `QueueKeys` object) rather than per call:
 * the hot scripts (fetch, complete, fail) run many times a second on the same keys.
 */
import type { QueueKeys } from "../redis/keys.js";

/** One cache per script; `make` lists that script's KEYS in the order its Lua header gives them. */
export function keyList(cache: WeakMap<QueueKeys, readonly string[]>, keys: QueueKeys, make: (k: QueueKeys) => string[]): readonly string[] {
  let list = cache.get(keys);
  if (list === undefined) {
    list = make(keys);
    cache.set(keys, list);
  }
  return list;
}
