/** The members of a type literal or interface → an object `TypeNode`, with each property's doc and tags. */
import { Node, SyntaxKind, type IndexSignatureDeclaration, type PropertySignature, type TypeElementTypes } from "ts-morph";
import type { PropertyNode, TypeNode } from "../manifest.js";
import { applyTags } from "./apply-tags.js";
import { docText, readConstraintTags } from "./jsdoc-tags.js";
import { mapType } from "./map-type.js";
import type { TypeContext } from "./type-registry.js";

export function mapMembers(members: TypeElementTypes[], ctx: TypeContext): TypeNode | undefined {
  const [only] = members;
  if (members.length === 1 && Node.isIndexSignatureDeclaration(only)) return mapIndexSignature(only, ctx);
  const properties: PropertyNode[] = [];
  let complete = true;
  for (const member of members) {
    const property = Node.isPropertySignature(member) ? mapProperty(member, ctx) : rejectMember(member, ctx);
    if (property) properties.push(property);
    else complete = false;
  }
  return complete ? { kind: "object", properties } : undefined;
}

function mapProperty(signature: PropertySignature, ctx: TypeContext): PropertyNode | undefined {
  const nameNode = signature.getNameNode();
  const name = Node.isIdentifier(nameNode) ? nameNode.getText() : Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : undefined;
  if (name === undefined) {
    ctx.reporter.error(nameNode, `property name \`${nameNode.getText()}\` is not supported`, "use a plain or quoted name");
    return undefined;
  }
  const typeNode = signature.getTypeNode();
  if (!typeNode) {
    ctx.reporter.error(nameNode, `property ${name} needs a type annotation`, `write \`${name}: T\``);
    return undefined;
  }
  const docs = signature.getJsDocs();
  const tags = readConstraintTags(docs, ctx.reporter);
  const mapped = mapType(typeNode, ctx);
  if (!mapped) return undefined;
  const doc = docText(docs);
  const type = applyTags(mapped, tags, `property ${name}`, ctx.reporter, ctx.registry);
  const readonly = signature.isReadonly() ? { readonly: true as const } : {};
  return { name, optional: signature.hasQuestionToken(), ...readonly, ...(doc === undefined ? {} : { doc }), type };
}

/** `{ [key: string]: T }` is `Record<string, T>`. */
function mapIndexSignature(signature: IndexSignatureDeclaration, ctx: TypeContext): TypeNode | undefined {
  if (signature.getKeyTypeNode().getKind() !== SyntaxKind.StringKeyword) {
    ctx.reporter.error(signature, `index signature keys must be string, not \`${signature.getKeyTypeNode().getText()}\``, "write { [key: string]: T }");
    return undefined;
  }
  const values = mapType(signature.getReturnTypeNodeOrThrow(), ctx);
  return values && { kind: "record", values };
}

function rejectMember(member: TypeElementTypes, ctx: TypeContext): undefined {
  const isFunction = Node.isMethodSignature(member) || Node.isCallSignatureDeclaration(member) || Node.isConstructSignatureDeclaration(member);
  if (isFunction) {
    ctx.reporter.error(member, "functions cannot be stored in a job", "pass data; decide the behaviour in the handler");
  } else if (Node.isIndexSignatureDeclaration(member)) {
    ctx.reporter.error(
      member,
      "an index signature cannot be mixed with other properties",
      "use { [key: string]: T } alone, or a property holding a Record<string, T>",
    );
  } else {
    ctx.reporter.error(member, `\`${member.getText()}\` is not supported in a payload type`, "list the data as properties: `name: T`");
  }
  return undefined;
}
