/**
 * Checks on one decorator option at a time: right kind, right range, known keys. Each check reports
 * at the offending literal and returns undefined, so every bad option in a file is reported at once.
 */
import type { Literal } from "./literal.js";
import type { Reporter } from "./reporter.js";
import { closest, didYouMean } from "./suggest.js";

export type Entries = Map<string, { key: Literal["node"]; value: Literal }>;

/** The entries of an options object; unknown keys are reported (with a suggestion) and dropped. */
export function objectEntries(literal: Literal, what: string, known: readonly string[], reporter: Reporter): Entries | undefined {
  if (literal.kind !== "object") {
    reporter.error(literal.node, `${what} must be an object literal`, `write ${what} as { key: value }`);
    return undefined;
  }
  const entries: Entries = new Map();
  for (const [name, entry] of literal.entries) {
    if (known.includes(name)) entries.set(name, entry);
    else {
      const hint = `known options: ${known.join(", ")}`;
      reporter.error(entry.key, `unknown option \`${name}\` in ${what}${didYouMean(name, known)}`, hint);
    }
  }
  return entries;
}

interface NumberRule {
  integer?: boolean;
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
}

export function numberField(literal: Literal, what: string, rule: NumberRule, reporter: Reporter): number | undefined {
  if (literal.kind !== "number") {
    reporter.error(literal.node, `${what} must be a number`, `write a number literal, e.g. ${what}: 3`);
    return undefined;
  }
  if (rule.integer && !Number.isInteger(literal.value)) {
    reporter.error(literal.node, `${what} must be a whole number, not ${literal.value}`, `use ${Math.round(literal.value)}`);
    return undefined;
  }
  if (rule.min !== undefined && literal.value < rule.min) {
    reporter.error(literal.node, `${what} must be at least ${rule.min}, not ${literal.value}`, `use ${rule.min} or more`);
    return undefined;
  }
  if (rule.max !== undefined && literal.value > rule.max) {
    reporter.error(literal.node, `${what} must be at most ${rule.max}, not ${literal.value}`, `use ${rule.max} or less`);
    return undefined;
  }
  return literal.value;
}

export function stringField(literal: Literal, what: string, reporter: Reporter, pattern?: RegExp): string | undefined {
  if (literal.kind !== "string") {
    reporter.error(literal.node, `${what} must be a string`, "write a string literal in quotes");
    return undefined;
  }
  if (pattern && !pattern.test(literal.value)) {
    reporter.error(literal.node, `${what} "${literal.value}" must match ${pattern.source}`, "use letters, digits, `.`, `_` and `-` only, at most 64 of them");
    return undefined;
  }
  return literal.value;
}

export function booleanField(literal: Literal, what: string, reporter: Reporter): boolean | undefined {
  if (literal.kind === "boolean") return literal.value;
  reporter.error(literal.node, `${what} must be true or false`, "write true or false");
  return undefined;
}

export function oneOfField<T extends string>(literal: Literal, what: string, choices: readonly T[], reporter: Reporter): T | undefined {
  if (literal.kind === "string" && (choices as readonly string[]).includes(literal.value)) return literal.value as T;
  const shown = literal.kind === "string" ? `"${literal.value}"` : literal.node.getText();
  const match = literal.kind === "string" ? closest(literal.value, choices) : undefined;
  const suggestion = match === undefined ? "" : `: did you mean "${match}"?`;
  const hint = `one of ${choices.map((c) => `"${c}"`).join(", ")}`;
  reporter.error(literal.node, `${what} cannot be ${shown}${suggestion}`, hint);
  return undefined;
}
