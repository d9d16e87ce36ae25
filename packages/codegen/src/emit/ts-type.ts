/** A manifest `TypeNode` → the TypeScript type the generated code declares for it. */
import type { TypeNode } from "../manifest.js";
import { keyCode } from "./code-literal.js";
import { docComment } from "./doc-comment.js";

/** `indent` is the indentation of the line the type starts on; object members go one level deeper. */
export function tsType(node: TypeNode, indent = ""): string {
  switch (node.kind) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return node.kind;
    case "integer":
      return "number";
    case "date":
      return "Date";
    case "literal":
      return JSON.stringify(node.value);
    case "ref":
      return node.name;
    case "array": {
      const items = tsType(node.items, indent);
      const array = isSimple(node.items) ? `${items}[]` : node.readonly ? `(${items})[]` : `Array<${items}>`;
      return node.readonly ? `readonly ${array}` : array;
    }
    case "tuple": {
      const tuple = `[${node.items.map((item) => tsType(item, indent)).join(", ")}]`;
      return node.readonly ? `readonly ${tuple}` : tuple;
    }
    case "record":
      return `Record<string, ${tsType(node.values, indent)}>`;
    case "union":
      return node.members.map((member) => tsType(member, indent)).join(" | ");
    case "object":
      return objectType(node, indent);
  }
}

function isSimple(node: TypeNode): boolean {
  return node.kind !== "union" && node.kind !== "object" && node.kind !== "array" && node.kind !== "tuple";
}

function objectType(node: Extract<TypeNode, { kind: "object" }>, indent: string): string {
  if (node.properties.length === 0) return "Record<string, never>";
  const inner = `${indent}  `;
  const lines = node.properties.map((property) => {
    const optional = property.optional ? "?" : "";
    const modifier = property.readonly ? "readonly " : "";
    return `${inner}${docComment(property.doc, inner)}${modifier}${keyCode(property.name)}${optional}: ${tsType(property.type, inner)};`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}
