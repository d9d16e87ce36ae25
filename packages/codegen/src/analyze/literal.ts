/**
 * Decorator arguments as literal values. The decorators do nothing at run time — the generator reads
 * them statically — so anything that needs evaluating (a variable, a call, a spread) is an error.
 */
import { Node, SyntaxKind } from "ts-morph";
import type { JsonValue } from "../manifest.js";
import type { Reporter } from "./reporter.js";

/** A literal with the node it came from, so option checks can point at the exact property. */
export type Literal =
  | { kind: "object"; node: Node; entries: Map<string, { key: Node; value: Literal }> }
  | { kind: "array"; node: Node; items: Literal[] }
  | { kind: "string"; node: Node; value: string }
  | { kind: "number"; node: Node; value: number }
  | { kind: "boolean"; node: Node; value: boolean }
  | { kind: "null"; node: Node };

const HINT = "decorator arguments are read by `taskq generate`, not run: write the value inline";

/** Reads `expression` as a literal; reports and returns undefined when it is not one. */
export function readLiteral(expression: Node, reporter: Reporter): Literal | undefined {
  const node = unwrap(expression);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return { kind: "string", node, value: node.getLiteralValue() };
  }
  if (Node.isNumericLiteral(node)) return { kind: "number", node, value: node.getLiteralValue() };
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken) {
    const operand = unwrap(node.getOperand());
    if (Node.isNumericLiteral(operand)) return { kind: "number", node, value: -operand.getLiteralValue() };
  }
  if (Node.isTrueLiteral(node) || Node.isFalseLiteral(node)) {
    return { kind: "boolean", node, value: node.getLiteralValue() };
  }
  if (Node.isNullLiteral(node)) return { kind: "null", node };
  if (Node.isArrayLiteralExpression(node)) return readArray(node.getElements(), node, reporter);
  if (Node.isObjectLiteralExpression(node)) return readObject(node, reporter);
  reporter.error(node, `decorator argument must be a literal, not \`${node.getText()}\``, HINT);
  return undefined;
}

function unwrap(expression: Node): Node {
  let node = expression;
  while (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) {
    node = node.getExpression();
  }
  return node;
}

/** Objects and arrays keep their literal parts when some part is not one (already reported), so the
 *  option checks can still report problems in the rest in the same run. */
function readArray(elements: Node[], node: Node, reporter: Reporter): Literal {
  const items = elements.map((element) => readLiteral(element, reporter));
  return { kind: "array", node, items: items.filter((item) => item !== undefined) };
}

function readObject(node: Node & { getProperties(): Node[] }, reporter: Reporter): Literal {
  const entries = new Map<string, { key: Node; value: Literal }>();
  for (const property of node.getProperties()) {
    if (!Node.isPropertyAssignment(property)) {
      reporter.error(property, `decorator argument must be a literal, not \`${property.getText()}\``, HINT);
      continue;
    }
    const key = property.getNameNode();
    const name = Node.isIdentifier(key) ? key.getText() : Node.isStringLiteral(key) ? key.getLiteralValue() : undefined;
    if (name === undefined) {
      reporter.error(key, `computed option names are not supported: \`${key.getText()}\``, HINT);
      continue;
    }
    const value = readLiteral(property.getInitializerOrThrow(), reporter);
    if (value !== undefined) entries.set(name, { key, value });
  }
  return { kind: "object", node, entries };
}

/** The plain JSON value of a literal. */
export function toJson(literal: Literal): JsonValue {
  switch (literal.kind) {
    case "object":
      return Object.fromEntries([...literal.entries].map(([key, entry]) => [key, toJson(entry.value)]));
    case "array":
      return literal.items.map(toJson);
    case "null":
      return null;
    default:
      return literal.value;
  }
}
