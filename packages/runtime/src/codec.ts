/**
 * A codec turns a job's payload or result into the bytes stored in Redis and back, checking it against
 * the TypeBox schema `taskq generate` derived from jobs.ts. Validators are compiled once, at load.
 *
 * Values in code and values on the wire differ where the schema has a TypeBox codec (a `Date` is an
 * ISO string on the wire): `check`, `issues`, `assert` and `encode` take values as code holds them and
 * encode before validating; `decode` validates the wire form, fills in `@default`s, then decodes.
 */
import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { Clone, DecodeUnsafe, Default, EncodeUnsafe, HasCodec } from "typebox/value";
import { DecodeError, excerpt, listIssues, ValidationError, type ValidationIssue } from "./errors.js";

export interface Codec<T> {
  readonly schema: TSchema;
  /** True when `value` matches the schema. */
  check(value: unknown): value is T;
  /** Every failing field, with its path and rule; empty when valid. */
  issues(value: unknown): ValidationIssue[];
  /** Throws `ValidationError` naming each failing field. `what` says what was checked ("payload of tweet"). */
  assert(value: unknown, what: string, index?: number): asserts value is T;
  /** Validates, then serializes. */
  encode(value: T, what: string, index?: number): string;
  /** Parses and validates stored JSON, fills in defaults; throws `DecodeError` with the reason. */
  decode(json: string): T;
}

/** Keys that must never reach an object's prototype chain through JSON.parse. */
const POISONED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAY_BE_POISONED = /"(?:__proto__|constructor|prototype)"/;

/** JSON.parse without those keys. A reviver slows every parse, so it runs only when one may be there. */
function parseSafely(json: string): unknown {
  if (!MAY_BE_POISONED.test(json)) return JSON.parse(json);
  return JSON.parse(json, (key, value) => (POISONED_KEYS.has(key) ? undefined : value));
}

export function createCodec<T>(schema: TSchema): Codec<T> {
  const validator = Compile(schema);
  const hasCodec = HasCodec(schema);
  // Filling in defaults walks the schema at run time; most schemas have none to fill.
  const hasDefaults = JSON.stringify(schema).includes('"default"');
  /** The wire form of a value as code holds it; the caller's value is never mutated. */
  const toWire = (value: unknown): unknown => (hasCodec ? EncodeUnsafe({}, schema, Clone(value)) : value);
  const wireIssues = (wire: unknown): ValidationIssue[] => {
    if (validator.Check(wire)) return [];
    return [...validator.Errors(wire)].map((e) => ({ path: e.instancePath, rule: e.keyword, message: e.message }));
  };
  const codec: Codec<T> = {
    schema,
    check: (value: unknown): value is T => validator.Check(toWire(value)),
    issues: (value) => wireIssues(toWire(value)),
    assert(value, what, index) {
      const found = wireIssues(toWire(value));
      if (found.length > 0) throw new ValidationError(what, found, index);
    },
    encode(value, what, index) {
      const wire = toWire(value);
      const found = wireIssues(wire);
      if (found.length > 0) throw new ValidationError(what, found, index);
      return wire === undefined ? "null" : JSON.stringify(wire);
    },
    decode(json) {
      let value: unknown;
      try {
        value = parseSafely(json);
      } catch (cause) {
        // V8's SyntaxError quotes about 20 characters of the input; cap it for engines that quote more.
        throw new DecodeError(`not JSON: ${excerpt((cause as Error).message)}`, [], { cause });
      }
      if (hasDefaults) value = Default(schema, value);
      const found = wireIssues(value);
      if (found.length > 0) {
        throw new DecodeError(`does not match its schema: ${listIssues(found)}`, found);
      }
      return (hasCodec ? DecodeUnsafe({}, schema, value) : value) as T;
    },
  };
  return codec;
}
