/**
 * Puts constraint tags on the type they constrain. In `T | null` a tag applies to `T`; a tag on a
 * type it cannot constrain (`@maxLength` on a number) is an error. A tag on a reference to a named
 * type that is not an object (`/** @maxLength 5 *\/ code: Code`) constrains a copy of that type at this
 * one use; an object's constraints belong on its properties.
 */
import type { JsonValue, TypeNode } from "../manifest.js";
import type { ConstraintTag, TagTarget } from "./jsdoc-tags.js";
import type { Reporter } from "./reporter.js";
import type { TypeRegistry } from "./type-registry.js";

/** Returns `type` with the tags applied; `subject` names what carries them ("property content"). */
export function applyTags(type: TypeNode, tags: ConstraintTag[], subject: string, reporter: Reporter, registry: TypeRegistry): TypeNode {
  let result = type;
  for (const tag of tags) {
    const applied = applyTag(inlineAlias(result, registry), tag);
    if (applied) result = applied;
    else reporter.error(tag.node, wrongTypeMessage(tag, result, subject), wrongTypeHint(tag, result));
  }
  return result;
}

/** The named type a reference stands for, when tags can constrain a copy of it. */
function inlineAlias(type: TypeNode, registry: TypeRegistry): TypeNode {
  if (type.kind !== "ref") return type;
  const target = registry.get(type.name);
  if (!target || target.cycle || target.type.kind === "object") return type;
  return inlineAlias(target.type, registry);
}

function applyTag(type: TypeNode, tag: ConstraintTag): TypeNode | undefined {
  if (tag.target === "any") return applyDefault(type, tag.value);
  if (accepts(type, tag.target)) return constrain(type, tag);
  if (type.kind !== "union") return undefined;
  if (!type.members.some((member) => accepts(member, tag.target))) return undefined;
  const members = type.members.map((member) => (accepts(member, tag.target) ? constrain(member, tag) : member));
  return { ...type, members };
}

function accepts(type: TypeNode, target: TagTarget): boolean {
  if (target === "number") return type.kind === "number" || type.kind === "integer";
  return type.kind === target;
}

function constrain(type: TypeNode, tag: ConstraintTag): TypeNode {
  if (tag.name === "integer") return { ...type, kind: "integer" };
  return { ...type, [tag.name]: tag.value };
}

function applyDefault(type: TypeNode, value: JsonValue): TypeNode | undefined {
  if (type.kind === "object" || type.kind === "ref" || type.kind === "null" || type.kind === "record" || type.kind === "date" || type.kind === "tuple")
    return undefined;
  if (!defaultFits(type, value)) return undefined;
  return { ...type, default: value };
}

function defaultFits(type: TypeNode, value: JsonValue): boolean {
  switch (type.kind) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "literal":
      return value === type.value;
    case "array":
      return Array.isArray(value);
    case "union":
      return type.members.some((member) => (member.kind === "null" ? value === null : defaultFits(member, value)));
    default:
      return false;
  }
}

function describe(type: TypeNode): string {
  if (type.kind === "ref") return `the named type ${type.name}`;
  const names: Record<string, string> = { integer: "a number", array: "an array", object: "an object", union: "a union" };
  return names[type.kind] ?? `a ${type.kind}`;
}

function wrongTypeMessage(tag: ConstraintTag, type: TypeNode, subject: string): string {
  if (tag.target === "any") return `@default ${JSON.stringify(tag.value)} does not fit ${subject}, which is ${describe(type)}`;
  const target = tag.target === "array" ? "arrays" : `${tag.target}s`;
  return `@${tag.name} applies to ${target}, but ${subject} is ${describe(type)}`;
}

function wrongTypeHint(tag: ConstraintTag, type: TypeNode): string {
  if (type.kind === "ref") return `put @${tag.name} on the properties of ${type.name}`;
  if (tag.target === "string" && type.kind === "array") return "constraints on array items go on a named item type";
  if (tag.target === "any") return `write a default of the property's type, or remove @default`;
  return `remove @${tag.name}, or put it on a property whose type is one of the ${tag.target === "array" ? "arrays" : `${tag.target}s`}`;
}
