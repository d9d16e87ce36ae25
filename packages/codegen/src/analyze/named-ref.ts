/** A payload or result type → a reference to a named type of the manifest. */
import type { TypeNode as TsTypeNode } from "ts-morph";
import type { TypeRef } from "../manifest.js";
import { mapType } from "./map-type.js";
import type { TypeContext } from "./type-registry.js";

/** A named type stays itself; an inline one is registered under `fallbackName` (`TweetPayload`). */
export function namedRef(node: TsTypeNode, fallbackName: string, ctx: TypeContext): TypeRef | undefined {
  const type = mapType(node, ctx);
  if (!type) return undefined;
  if (type.kind === "ref") return type;
  return ctx.registry.inline(fallbackName, type, node, ctx.reporter) as TypeRef | undefined;
}
