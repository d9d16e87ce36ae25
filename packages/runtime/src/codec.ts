/**
 * A codec turns a job's payload or result into the bytes stored in Redis and back, checking it against
 * the TypeBox schema `taskq generate` derived from jobs.ts. Validators are compiled once, at load.
 */
import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { DecodeError, ValidationError, type ValidationIssue } from "./errors.js";

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
  /** Parses and validates stored JSON; throws `DecodeError` with the reason. */
  decode(json: string): T;
}

/** Keys that must never reach an object's prototype chain through JSON.parse. */
const POISONED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function parseSafely(json: string): unknown {
  return JSON.parse(json, (key, value) => (POISONED_KEYS.has(key) ? undefined : value));
}

export function createCodec<T>(schema: TSchema): Codec<T> {
  const validator = Compile(schema);
  const issues = (value: unknown): ValidationIssue[] => {
    if (validator.Check(value)) return [];
    // anyOf branches report each alternative; keep the summary line per path and the leaf rules.
    return [...validator.Errors(value)].map((e) => ({
      path: e.instancePath,
      rule: e.keyword,
      message: e.message,
    }));
  };
  const codec: Codec<T> = {
    schema,
    check: (value: unknown): value is T => validator.Check(value),
    issues,
    assert(value, what, index) {
      if (!validator.Check(value)) throw new ValidationError(what, issues(value), index);
    },
    encode(value, what, index) {
      codec.assert(value, what, index);
      return value === undefined ? "null" : JSON.stringify(value);
    },
    decode(json) {
      let value: unknown;
      try {
        value = parseSafely(json);
      } catch (cause) {
        throw new DecodeError(`not JSON: ${(cause as Error).message}`, [], { cause });
      }
      const found = issues(value);
      if (found.length > 0) {
        const list = found.map((i) => `${i.path || "/"}: ${i.rule} (${i.message})`).join("; ");
        throw new DecodeError(`does not match its schema: ${list}`, found);
      }
      return value as T;
    },
  };
  return codec;
}
