import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { Clone, DecodeUnsafe, Default, EncodeUnsafe, HasCodec } from "typebox/value";
import { DecodeError, listIssues, ValidationError, type ValidationIssue } from "./errors.js";
import { openPayload, sealPayload, type PayloadStorage, type StoredPayload } from "./payload/envelope.js";

/**
 * A codec turns a job's payload or result into the bytes stored in Redis and back, checking it against
 * the TypeBox schema `taskq generate` derived from jobs.ts. Validators are compiled once, at load.
 *
 * Values in code and values on the wire differ where the schema has a TypeBox codec (a `Date` is an
 * ISO string on the wire): `check`, `issues`, `assert`, `encode` and `encodeAs` take values as code holds
 * them and encode before validating; `decode` validates the wire form, fills in `@default`s, then decodes.
 */
export interface Codec<T> {
  /** The TypeBox schema of the wire form. */
  readonly schema: TSchema;
  /** True when `value` matches the schema. */
  check(value: unknown): value is T;
  /** Every failing field, with its path and rule; empty when valid. */
  issues(value: unknown): ValidationIssue[];
  /** Throws `ValidationError` naming each failing field. `what` says what was checked ("payload of tweet"). */
  assert(value: unknown, what: string, index?: number): asserts value is T;
  /** Validates, then serializes as JSON text (results, and what people and tools read). */
  encode(value: T, what: string, index?: number): string;
  /**
   * Validates, then serializes in a queue's stored form (see payload/envelope.ts): JSON text, or a
   * binary envelope when `storage` asks for msgpack or the payload is over `compressAboveBytes`.
   */
  encodeAs(storage: PayloadStorage | undefined, value: T, what: string, index?: number): StoredPayload;
  /**
   * Reads a stored value in any form `encodeAs` writes, whatever the queue's settings are now (JSON
   * text, or a binary envelope as a Buffer); validates it and fills in defaults. Throws `DecodeError`
   * with the reason.
   */
  decode(stored: StoredPayload): T;
}

/**
 * A {@link Codec} for `schema`, its validator compiled now so every later check is fast. The generated
 * code makes one per payload and result type at load.
 *
 * @internal For generated code, from `@taskq/runtime/internal`.
 */
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
  const validWire = (value: unknown, what: string, index: number | undefined): unknown => {
    const wire = toWire(value);
    const found = wireIssues(wire);
    if (found.length > 0) throw new ValidationError(what, found, index);
    return wire;
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
      const wire = validWire(value, what, index);
      return wire === undefined ? "null" : JSON.stringify(wire);
    },
    encodeAs(storage, value, what, index) {
      return sealPayload(validWire(value, what, index), storage);
    },
    decode(stored) {
      let value = openPayload(stored);
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
