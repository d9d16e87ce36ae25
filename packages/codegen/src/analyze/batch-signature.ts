/**
 * A batch job's method takes every payload of the batch at once and answers each: `(payloads: T[],
 * ctx?: BatchContext) => Promise<Array<R | Error>>`. The job's payload is `T` (what one enqueue takes)
 * and its result is `R`; an Error in the answer fails that one item alone.
 */
import { Node, SyntaxKind, type MethodDeclaration, type TypeNode as TsTypeNode } from "ts-morph";
import type { Reporter } from "./reporter.js";

/** `T` of `T[]`, `Array<T>` or `ReadonlyArray<T>`; undefined for anything else. */
export function arrayElement(node: TsTypeNode): TsTypeNode | undefined {
  if (Node.isArrayTypeNode(node)) return unparenthesize(node.getElementTypeNode());
  if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword) return arrayElement(node.getTypeNode());
  if (Node.isTypeReference(node) && ["Array", "ReadonlyArray"].includes(node.getTypeName().getText()) && node.getTypeArguments().length === 1) {
    return unparenthesize(node.getTypeArguments()[0]);
  }
  return undefined;
}

/** The payload type node of one item: reported when the first parameter is not an array. */
export function batchPayloadNode(method: MethodDeclaration, typeNode: TsTypeNode, reporter: Reporter): TsTypeNode | undefined {
  const element = arrayElement(typeNode);
  if (!element) {
    reporter.error(
      typeNode,
      `batch job ${method.getName()} takes every payload of a batch, so its first parameter must be an array`,
      `write \`payloads: ${typeNode.getText()}[]\`, or remove the batch option`,
    );
  }
  return element;
}

/** `R` of `Array<R | Error>` (the Promise already unwrapped): reported when the answer has another shape or none is written. */
export function batchResultNode(method: MethodDeclaration, node: TsTypeNode | undefined, reporter: Reporter): TsTypeNode | undefined {
  const element = node && arrayElement(node);
  const members = element && Node.isUnionTypeNode(element) ? element.getTypeNodes() : [];
  const results = members.filter((member) => !(Node.isTypeReference(member) && member.getTypeName().getText() === "Error"));
  if (results.length === 1 && members.length === 2) return unparenthesize(results[0]);
  reporter.error(
    node ?? method.getNameNode(),
    `batch job ${method.getName()} must answer each payload with its result or an Error`,
    "write `: Promise<Array<R | Error>>`, one entry per payload, in their order",
  );
  return undefined;
}

function unparenthesize(node: TsTypeNode): TsTypeNode {
  return Node.isParenthesizedTypeNode(node) ? unparenthesize(node.getTypeNode()) : node;
}
