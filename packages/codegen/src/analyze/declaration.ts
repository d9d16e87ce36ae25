/**
 * A declared type → its `TypeNode`: a type alias (its right-hand side), an interface (its members,
 * after those of the interfaces it extends) or a string enum (the union of its values). Tags on the
 * declaration constrain every use of the type.
 */
import { Node, type EnumDeclaration, type InterfaceDeclaration, type TypeAliasDeclaration } from "ts-morph";
import type { TypeNode } from "../manifest.js";
import { applyTags } from "./apply-tags.js";
import { readConstraintTags } from "./jsdoc-tags.js";
import { mapType } from "./map-type.js";
import { reportDetachedTags } from "./detached-tags.js";
import { mergeObjects, type ObjectPart } from "./merge-objects.js";
import { mapMembers } from "./object-type.js";
import { mapDeclaredName } from "./resolve-reference.js";
import type { TypeContext } from "./type-registry.js";

export type Declaration = TypeAliasDeclaration | InterfaceDeclaration | EnumDeclaration;

export function mapDeclaration(declaration: Declaration, ctx: TypeContext): TypeNode | undefined {
  const subject = `type ${declaration.getName()}`;
  const tags = readConstraintTags(declaration.getJsDocs(), ctx.reporter);
  const mapped = Node.isInterfaceDeclaration(declaration)
    ? mapInterface(declaration, ctx)
    : Node.isEnumDeclaration(declaration)
      ? mapEnum(declaration, ctx)
      : mapType(declaration.getTypeNodeOrThrow(), ctx);
  return mapped && applyTags(mapped, tags, subject, ctx.reporter, ctx.registry);
}

function mapInterface(declaration: InterfaceDeclaration, ctx: TypeContext): TypeNode | undefined {
  reportDetachedTags(declaration, declaration.getMembers(), ctx);
  const own = mapMembers(declaration.getMembers(), ctx);
  const bases = declaration.getExtends();
  if (bases.length === 0) return own;
  const parts: ObjectPart[] = bases.map((base) => {
    const expression = base.getExpression();
    const nameNode = Node.isPropertyAccessExpression(expression) ? expression.getNameNode() : expression;
    return { node: base, type: mapDeclaredName(nameNode, expression.getText(), base.getTypeArguments(), base, ctx) };
  });
  return mergeObjects([...parts, { node: declaration.getNameNode(), type: own }], ctx);
}

/** A string enum's values, in declaration order; a member without a string value is an error. */
function mapEnum(declaration: EnumDeclaration, ctx: TypeContext): TypeNode | undefined {
  const members: TypeNode[] = [];
  for (const member of declaration.getMembers()) {
    const value = member.getValue();
    if (typeof value === "string") members.push({ kind: "literal", value });
    else {
      ctx.reporter.error(member, `enum member ${member.getName()} has no string value`, `give it one: ${member.getName()} = "${member.getName()}"`);
    }
  }
  if (members.length !== declaration.getMembers().length) return undefined;
  if (members.length === 0) {
    ctx.reporter.error(declaration.getNameNode(), `enum ${declaration.getName()} has no members`, "add a member, or use another type");
    return undefined;
  }
  return members.length === 1 ? members[0] : { kind: "union", members };
}
