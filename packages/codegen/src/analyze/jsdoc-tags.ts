/**
 * JSDoc constraint tags (`@maxLength 280`, `@format email`, …) read from a property or type alias.
 * Each tag is checked on its own: known name, well-formed value; where it goes is `apply-tags.ts`.
 */
import type { JSDoc, JSDocTag } from "ts-morph";
import { STRING_FORMATS, type JsonValue } from "../manifest.js";
import type { Reporter } from "./reporter.js";
import { closest, didYouMean } from "./suggest.js";

/** What kind of value a tag constrains. */
export type TagTarget = "string" | "number" | "array" | "any";

type TagValue = "count" | "number" | "positive" | "regex" | "format" | "none" | "flag" | "json";

const TAG_SPECS = {
  minLength: ["string", "count"],
  maxLength: ["string", "count"],
  pattern: ["string", "regex"],
  format: ["string", "format"],
  minimum: ["number", "number"],
  maximum: ["number", "number"],
  exclusiveMinimum: ["number", "number"],
  exclusiveMaximum: ["number", "number"],
  multipleOf: ["number", "positive"],
  integer: ["number", "none"],
  minItems: ["array", "count"],
  maxItems: ["array", "count"],
  uniqueItems: ["array", "flag"],
  default: ["any", "json"],
} as const satisfies Record<string, readonly [TagTarget, TagValue]>;

export type TagName = keyof typeof TAG_SPECS;
export const TAG_NAMES = Object.keys(TAG_SPECS) as TagName[];

/** Documentation tags that carry no constraint; accepted and left out of the schema. */
const DOCUMENTATION_TAGS = ["deprecated", "example", "remarks", "see"];

export interface ConstraintTag {
  name: TagName;
  target: TagTarget;
  value: JsonValue;
  node: JSDocTag;
}

/** The description text of the JSDoc blocks, without tags; undefined when there is none. */
export function docText(docs: JSDoc[]): string | undefined {
  const text = docs
    .map((doc) => doc.getDescription().trim())
    .filter((part) => part.length > 0)
    .join("\n\n");
  return text.length > 0 ? text : undefined;
}

/** Every constraint tag of the JSDoc blocks; unknown or malformed tags are reported and skipped. */
export function readConstraintTags(docs: JSDoc[], reporter: Reporter): ConstraintTag[] {
  const tags: ConstraintTag[] = [];
  for (const tag of docs.flatMap((doc) => doc.getTags())) {
    const name = tag.getTagName();
    if (DOCUMENTATION_TAGS.includes(name)) continue;
    if (!(name in TAG_SPECS)) {
      const suggestion = didYouMean(name, TAG_NAMES, "@");
      const match = closest(name, TAG_NAMES);
      const hint = match ? `write @${match}` : `supported tags: ${TAG_NAMES.map((t) => `@${t}`).join(", ")}`;
      reporter.error(tag, `unknown tag @${name}${suggestion}`, hint);
      continue;
    }
    const [target, kind] = TAG_SPECS[name as TagName];
    const value = parseTagValue(name, kind, (tag.getCommentText() ?? "").trim(), tag, reporter);
    if (value !== undefined) tags.push({ name: name as TagName, target, value, node: tag });
  }
  return tags;
}

function parseTagValue(name: string, kind: TagValue, text: string, tag: JSDocTag, reporter: Reporter): JsonValue | undefined {
  const fail = (expected: string, hint: string) => {
    reporter.error(tag, `@${name} needs ${expected}${text ? `, not "${text}"` : ""}`, hint);
    return undefined;
  };
  switch (kind) {
    case "none":
      return text === "" ? true : fail("no value", `write @${name} on its own line`);
    case "flag":
      return text === "" || text === "true" ? true : fail("no value (or true)", `write @${name} on its own line`);
    case "count":
    case "number":
    case "positive": {
      const value = Number(text.replace(/_/g, ""));
      if (text === "" || !Number.isFinite(value)) return fail("a number", `write @${name} 10`);
      if (kind === "count" && (!Number.isInteger(value) || value < 0)) return fail("a whole number ≥ 0", `write @${name} 10`);
      if (kind === "positive" && value <= 0) return fail("a number > 0", `write @${name} 0.5`);
      return value;
    }
    case "regex":
      try {
        if (text === "") return fail("a regular expression", "write @pattern ^[a-z]+$");
        new RegExp(text, "u");
        return text;
      } catch (error) {
        return fail("a valid regular expression", (error as Error).message);
      }
    case "format": {
      if ((STRING_FORMATS as readonly string[]).includes(text)) return text;
      const match = closest(text, STRING_FORMATS);
      const hint = `one of ${STRING_FORMATS.join(", ")}`;
      reporter.error(tag, `@format cannot be "${text}"${match ? `: did you mean "${match}"?` : ""}`, hint);
      return undefined;
    }
    case "json":
      if (text === "") return fail("a value", 'write a JSON value, e.g. @default 10 or @default "draft"');
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return text; // a bare word is a string default: `@default draft`
      }
  }
}
