/**
 * Which constraints of a type got stricter: a stored payload valid under the old bound may fail the
 * new one. A bound that is dropped or loosened is a compatible change and says nothing here.
 */
import type { TypeNode } from "../manifest.js";

type Bounds = Partial<Record<string, number | string | boolean>>;

/** A larger value is stricter. */
const LOWER = ["minLength", "minItems", "minimum", "exclusiveMinimum"];
/** A smaller value is stricter. */
const UPPER = ["maxLength", "maxItems", "maximum", "exclusiveMaximum"];
/** Any new or changed value is stricter. */
const EXACT = ["pattern", "format"];

export function narrowedConstraints(before: TypeNode, after: TypeNode): string[] {
  const old = before as Bounds;
  const next = after as Bounds;
  const changes: string[] = [];
  const describe = (key: string) =>
    old[key] === undefined ? `${key} ${show(next[key])} added` : `${key} narrowed from ${show(old[key])} to ${show(next[key])}`;
  for (const key of LOWER) {
    if (typeof next[key] === "number" && (old[key] === undefined || next[key] > (old[key] as number))) changes.push(describe(key));
  }
  for (const key of UPPER) {
    if (typeof next[key] === "number" && (old[key] === undefined || next[key] < (old[key] as number))) changes.push(describe(key));
  }
  for (const key of EXACT) {
    if (next[key] !== undefined && next[key] !== old[key]) changes.push(describe(key));
  }
  const oldStep = old.multipleOf as number | undefined;
  const step = next.multipleOf as number | undefined;
  // Every multiple of the old step is a multiple of the new one only when the new step divides it.
  if (step !== undefined && (oldStep === undefined || !Number.isInteger(oldStep / step))) changes.push(describe("multipleOf"));
  if (next.uniqueItems === true && old.uniqueItems !== true) changes.push("uniqueItems added");
  return changes;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
