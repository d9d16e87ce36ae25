/**
 * A manifest `TypeNode` → the TypeBox expression that validates it. Named types are referenced by
 * their `XSchema` constant, so each is declared once and shared.
 */
import type { JsonValue, TypeNode } from "../manifest.js";
import { keyCode, literalCode } from "./code-literal.js";

/** Constraint keys in the order they are written, whatever order the tags were in. */
const OPTION_KEYS = [
  "minLength", "maxLength", "pattern", "format",
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
  "minItems", "maxItems", "uniqueItems", "default",
] as const;

export function typeBox(node: TypeNode, indent = ""): string {
  switch (node.kind) {
    case "string":
      return `Type.String(${options(node)})`;
    case "number":
      return `Type.Number(${options(node)})`;
    case "integer":
      return `Type.Integer(${options(node)})`;
    case "boolean":
      return `Type.Boolean(${options(node)})`;
    case "null":
      return "Type.Null()";
    case "literal":
      return `Type.Literal(${[JSON.stringify(node.value), options(node)].filter(Boolean).join(", ")})`;
    case "ref":
      return `${node.name}Schema`;
    case "array":
      return `Type.Array(${[typeBox(node.items, indent), options(node)].filter(Boolean).join(", ")})`;
    case "union":
      return unionSchema(node, indent);
    case "object":
      return objectSchema(node, indent);
  }
}

/** `{ minLength: 1, maxLength: 280 }`, or "" when the node has no constraints. */
function options(node: TypeNode): string {
  const source = node as Partial<Record<(typeof OPTION_KEYS)[number], JsonValue>>;
  const present = OPTION_KEYS.filter((key) => source[key] !== undefined);
  return present.length === 0 ? "" : literalCode(Object.fromEntries(present.map((key) => [key, source[key]!])));
}

function unionSchema(node: Extract<TypeNode, { kind: "union" }>, indent: string): string {
  const extra = options(node);
  const tail = extra ? `, ${extra}` : "";
  if (!node.members.some((member) => member.kind === "object")) {
    return `Type.Union([${node.members.map((member) => typeBox(member, indent)).join(", ")}]${tail})`;
  }
  const inner = `${indent}  `;
  const members = node.members.map((member) => `${inner}${typeBox(member, inner)},`);
  return `Type.Union([\n${members.join("\n")}\n${indent}]${tail})`;
}

function objectSchema(node: Extract<TypeNode, { kind: "object" }>, indent: string): string {
  if (node.properties.length === 0) return "Type.Object({})";
  const inner = `${indent}  `;
  const lines = node.properties.map((property) => {
    const schema = typeBox(property.type, inner);
    return `${inner}${keyCode(property.name)}: ${property.optional ? `Type.Optional(${schema})` : schema},`;
  });
  return `Type.Object({\n${lines.join("\n")}\n${indent}})`;
}
