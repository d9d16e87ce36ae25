/**
 * MessagePack for payloads (msgpackr), held to JSON's data model: what a worker gets from a msgpack
 * payload is exactly what it would get from the same payload stored as JSON, so validation, defaults
 * and handlers see no difference.
 *
 * Stored bytes may be hostile (hand-written, another producer), so decoding refuses anything JSON has
 * not got (msgpackr's extensions: Date, Set, RegExp, Error, BigInt, typed arrays, records; binary
 * strings; non-string map keys; NaN and Infinity) and drops the keys JSON decoding drops
 * (`__proto__`, `constructor`, `prototype`). Like JSON, an `undefined` property is left out and an
 * `undefined` array item reads as null.
 */
import { createRequire } from "node:module";
import type { Packr, Unpackr } from "msgpackr";
import { ConfigError, DecodeError, excerpt } from "../errors.js";
import { POISONED_KEYS } from "./safe-json.js";

interface Codecs {
  packr: Packr;
  asObjects: Unpackr;
  asMaps: Unpackr;
}

let codecs: Codecs | undefined;

/**
 * msgpackr is an optional peer dependency: only apps with a `serializer: "msgpack"` queue (or its
 * jobs still in Redis) install it, so it is loaded on first use, synchronously, as encoding is.
 */
function msgpackr(): Codecs {
  if (codecs) return codecs;
  let library: typeof import("msgpackr");
  try {
    library = createRequire(import.meta.url)("msgpackr") as typeof import("msgpackr");
  } catch (cause) {
    throw new ConfigError('a queue with serializer "msgpack" needs the msgpackr package: npm install msgpackr', { cause });
  }
  codecs = {
    // Plain MessagePack maps (no msgpackr records), so any MessagePack reader can read what taskq wrote.
    packr: new library.Packr({ useRecords: false }),
    // Integers beyond 2^53 read as (rounded) numbers, as JSON.parse reads them.
    asObjects: new library.Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: "number" }),
    // msgpackr renames a `__proto__` key in objects mode, which would let it through under another name;
    // data that may hold a poisoned key is read as Maps and converted key by key instead.
    asMaps: new library.Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: "number" }),
  };
  return codecs;
}

const POISON_NAMES = [...POISONED_KEYS].map((key) => Buffer.from(key));

/** The MessagePack bytes of a wire value (what the schema validated). */
export function packMsgpack(wire: unknown): Buffer {
  return msgpackr().packr.pack(wire);
}

/** A MessagePack body → a JSON-model value; throws `DecodeError` with the reason. */
export function unpackMsgpack(bytes: Buffer): unknown {
  const mayBePoisoned = POISON_NAMES.some((name) => bytes.includes(name));
  const { asMaps, asObjects } = msgpackr();
  let value: unknown;
  try {
    value = (mayBePoisoned ? asMaps : asObjects).unpack(bytes);
  } catch (cause) {
    throw new DecodeError(`not MessagePack: ${excerpt((cause as Error).message)}`, [], { cause });
  }
  return jsonModel(value, "");
}

/** `value` with maps made plain objects, checked to hold only what JSON can; mutates in place. */
function jsonModel(value: unknown, path: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw notJson(path, String(value));
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = value[i] === undefined ? null : jsonModel(value[i], `${path}/${i}`);
    return value;
  }
  if (value instanceof Map) {
    const object: Record<string, unknown> = {};
    for (const [key, item] of value) {
      if (typeof key !== "string") throw notJson(path, `a map key of type ${typeof key}`);
      if (POISONED_KEYS.has(key) || item === undefined) continue;
      object[key] = jsonModel(item, `${path}/${key}`);
    }
    return object;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      if (object[key] === undefined) delete object[key];
      else object[key] = jsonModel(object[key], `${path}/${key}`);
    }
    return object;
  }
  throw notJson(path, typeof value === "object" ? `a ${value.constructor?.name ?? "object"}` : `a ${typeof value}`);
}

function notJson(path: string, what: string): DecodeError {
  return new DecodeError(`MessagePack holds ${what} at ${excerpt(path || "/")}, which a payload cannot hold`);
}
