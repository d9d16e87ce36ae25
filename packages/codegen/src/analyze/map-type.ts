/**
 * A TypeScript type annotation → a manifest `TypeNode`. Works on the syntax the user wrote (so JSDoc
 * tags and positions stay at hand) and asks the type checker only to resolve names. Anything that
 * is not plain JSON data is reported with the reason and the fix.
 */
import { Node, SyntaxKind, type TypeNode as TsTypeNode } from "ts-morph";
import type { TypeNode } from "../manifest.js";
import { reportDetachedTags } from "./detached-tags.js";
import { mergeObjects } from "./merge-objects.js";
import { mapMembers } from "./object-type.js";
import { mapReference } from "./resolve-reference.js";
import type { TypeContext } from "./type-registry.js";

const NOT_DATA: Partial<Record<SyntaxKind, [string, string]>> = {
  [SyntaxKind.AnyKeyword]: ["`any` is not allowed in a payload or result", "describe the data with a type"],
  [SyntaxKind.UnknownKeyword]: ["`unknown` is not allowed in a payload or result", "describe the data with a type"],
  [SyntaxKind.BigIntKeyword]: ["bigint is not JSON", "use number, or a string holding the digits"],
  [SyntaxKind.SymbolKeyword]: ["symbols cannot be stored in a job", "use a string"],
  [SyntaxKind.NeverKeyword]: ["`never` cannot be a payload or result", "describe the data with a type"],
  [SyntaxKind.ObjectKeyword]: ["`object` says nothing about the data", "describe its properties with a type"],
  [SyntaxKind.UndefinedKeyword]: ["`undefined` is not JSON", "make the property optional (`name?: T`) or use null"],
  [SyntaxKind.VoidKeyword]: ["`void` is only allowed as a result: Promise<void>", "use null"],
  [SyntaxKind.FunctionType]: ["functions cannot be stored in a job", "pass data; decide the behaviour in the handler"],
  [SyntaxKind.ConstructorType]: ["constructors cannot be stored in a job", "pass data; decide the behaviour in the handler"],
  [SyntaxKind.TypeQuery]: ["`typeof` types are not supported in a payload or result", "write the type out"],
  [SyntaxKind.ConditionalType]: ["conditional types are not supported in a payload or result", "write the resulting type out"],
  [SyntaxKind.MappedType]: ["mapped types are not supported in a payload or result", "list the properties, or use Record<string, T>"],
  [SyntaxKind.TemplateLiteralType]: ["template literal types are not supported", "use a string with @pattern"],
};

export function mapType(node: TsTypeNode, ctx: TypeContext): TypeNode | undefined {
  switch (node.getKind()) {
    case SyntaxKind.StringKeyword:
      return { kind: "string" };
    case SyntaxKind.NumberKeyword:
      return { kind: "number" };
    case SyntaxKind.BooleanKeyword:
      return { kind: "boolean" };
    default: // every other kind is told apart by its node's shape below
  }
  if (Node.isLiteralTypeNode(node)) return mapLiteral(node, ctx);
  if (Node.isParenthesizedTypeNode(node)) return mapType(node.getTypeNode(), ctx);
  if (Node.isArrayTypeNode(node)) return arrayOf(mapType(node.getElementTypeNode(), ctx));
  if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword) {
    return readonlyOf(mapType(node.getTypeNode(), ctx));
  }
  if (Node.isTupleTypeNode(node)) return mapTuple(node.getElements(), ctx);
  if (Node.isIntersectionTypeNode(node)) {
    return mergeObjects(
      node.getTypeNodes().map((part) => ({ node: part, type: mapType(part, ctx) })),
      ctx,
    );
  }
  if (Node.isUnionTypeNode(node)) return mapUnion(node.getTypeNodes(), ctx);
  if (Node.isTypeLiteral(node)) {
    reportDetachedTags(node, node.getMembers(), ctx);
    return mapMembers(node.getMembers(), ctx);
  }
  if (Node.isTypeReference(node)) return mapReference(node, ctx);
  const [message, hint] = NOT_DATA[node.getKind()] ?? [
    `\`${node.getText()}\` is not a supported payload type`,
    "describe the data with plain types: string, number, boolean, arrays, objects",
  ];
  ctx.reporter.error(node, message, hint);
  return undefined;
}

export function arrayOf(items: TypeNode | undefined): TypeNode | undefined {
  return items && { kind: "array", items };
}

/** `readonly T[]` and `readonly [A, B]`: the same data, marked so the generated type keeps it. */
export function readonlyOf(type: TypeNode | undefined): TypeNode | undefined {
  return type && (type.kind === "array" || type.kind === "tuple") ? { ...type, readonly: true } : type;
}

/** `[A, B]` or `[name: A, other: B]`; optional and rest elements have no fixed JSON shape here. */
function mapTuple(elements: TsTypeNode[], ctx: TypeContext): TypeNode | undefined {
  const items: Array<TypeNode | undefined> = elements.map((element) => {
    const inner = Node.isNamedTupleMember(element) ? element.getTypeNode() : element;
    const variadic =
      Node.isRestTypeNode(inner) ||
      Node.isOptionalTypeNode(inner) ||
      (Node.isNamedTupleMember(element) && (element.hasQuestionToken() || element.getDotDotDotToken()));
    if (!variadic) return mapType(inner, ctx);
    ctx.reporter.error(element, "optional and rest tuple elements are not supported", "use a fixed tuple, or an array");
    return undefined;
  });
  if (items.some((item) => item === undefined)) return undefined;
  return { kind: "tuple", items: items as TypeNode[] };
}

function mapLiteral(node: Node & { getLiteral(): Node }, ctx: TypeContext): TypeNode | undefined {
  const literal = node.getLiteral();
  if (Node.isNullLiteral(literal)) return { kind: "null" };
  if (Node.isStringLiteral(literal) || Node.isNoSubstitutionTemplateLiteral(literal)) {
    return { kind: "literal", value: literal.getLiteralValue() };
  }
  if (Node.isNumericLiteral(literal)) return { kind: "literal", value: literal.getLiteralValue() };
  if (Node.isTrueLiteral(literal) || Node.isFalseLiteral(literal)) {
    return { kind: "literal", value: literal.getLiteralValue() };
  }
  if (Node.isPrefixUnaryExpression(literal)) {
    const operand = literal.getOperand();
    if (Node.isNumericLiteral(operand)) return { kind: "literal", value: -operand.getLiteralValue() };
  }
  ctx.reporter.error(node, `\`${node.getText()}\` is not a supported literal type`, "use a string, number or boolean literal");
  return undefined;
}

/** Flattens nested unions and turns `true | false` back into boolean. */
function mapUnion(nodes: TsTypeNode[], ctx: TypeContext): TypeNode | undefined {
  const mapped = nodes.map((member) => mapType(member, ctx));
  if (mapped.some((member) => member === undefined)) return undefined;
  const members = (mapped as TypeNode[]).flatMap((member) => (member.kind === "union" ? member.members : [member]));
  const isBool = (value: boolean) => (m: TypeNode) => m.kind === "literal" && m.value === value;
  const collapsed =
    members.some(isBool(true)) && members.some(isBool(false))
      ? [...members.filter((m) => !isBool(true)(m) && !isBool(false)(m)), { kind: "boolean" } as TypeNode]
      : members;
  return collapsed.length === 1 ? collapsed[0] : { kind: "union", members: collapsed };
}
