/** The members of a type literal or interface → an object `TypeNode`, with each property's doc and tags. */
import { Node, type PropertySignature, type TypeElementTypes } from "ts-morph";
import type { PropertyNode, TypeNode } from "../manifest.js";
import { applyTags } from "./apply-tags.js";
import { docText, readConstraintTags } from "./jsdoc-tags.js";
import { mapType } from "./map-type.js";
import type { TypeContext } from "./type-registry.js";

export function mapMembers(members: TypeElementTypes[], ctx: TypeContext): TypeNode | undefined {
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
    ctx.reporter.error(nameNode, `property ${name} needs a type annotation`);
    return undefined;
  }
  const docs = signature.getJsDocs();
  const tags = readConstraintTags(docs, ctx.reporter);
  const mapped = mapType(typeNode, ctx);
  if (!mapped) return undefined;
  const doc = docText(docs);
  const type = applyTags(mapped, tags, `property ${name}`, ctx.reporter);
  return { name, optional: signature.hasQuestionToken(), ...(doc === undefined ? {} : { doc }), type };
}

function rejectMember(member: TypeElementTypes, ctx: TypeContext): undefined {
  const isFunction = Node.isMethodSignature(member) || Node.isCallSignatureDeclaration(member) || Node.isConstructSignatureDeclaration(member);
  if (isFunction) {
    ctx.reporter.error(member, "functions cannot be stored in a job", "pass data; decide the behaviour in the handler");
  } else if (Node.isIndexSignatureDeclaration(member)) {
    ctx.reporter.error(member, "index signatures are not supported yet", "list the properties");
  } else {
    ctx.reporter.error(member, `\`${member.getText()}\` is not supported in a payload type`);
  }
  return undefined;
}
