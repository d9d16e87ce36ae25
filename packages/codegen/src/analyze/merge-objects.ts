/**
 * `A & B` and `interface C extends A, B`: one object with the properties of every part. A property
 * declared again by a later part replaces the earlier one (as in an interface that redeclares it);
 * parts that are not objects (a union, a string) have no single merged JSON shape, so they are errors.
 */
import type { Node } from "ts-morph";
import type { PropertyNode, TypeNode } from "../manifest.js";
import type { TypeContext } from "./type-registry.js";

export interface ObjectPart {
  node: Node;
  /** Undefined when the part could not be mapped (already reported). */
  type: TypeNode | undefined;
}

export function mergeObjects(parts: ObjectPart[], ctx: TypeContext): TypeNode | undefined {
  const properties = new Map<string, PropertyNode>();
  let complete = true;
  for (const part of parts) {
    const object = part.type && objectOf(part.type, ctx);
    if (!object) {
      if (part.type) {
        ctx.reporter.error(
          part.node,
          `\`${part.node.getText()}\` is not an object type, so it cannot be merged`,
          "merge object types only: { a: string } & { b: number }",
        );
      }
      complete = false;
      continue;
    }
    for (const property of object.properties) {
      properties.delete(property.name); // a redeclared property takes the later position too
      properties.set(property.name, property);
    }
  }
  return complete ? { kind: "object", properties: [...properties.values()] } : undefined;
}

/** The object a type stands for, following references to named types already mapped. */
function objectOf(type: TypeNode, ctx: TypeContext): Extract<TypeNode, { kind: "object" }> | undefined {
  if (type.kind === "object") return type;
  if (type.kind !== "ref") return undefined;
  const target = ctx.registry.get(type.name);
  return target && objectOf(target.type, ctx);
}
