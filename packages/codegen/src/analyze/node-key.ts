/**
 * A name for a node that the `--watch` memo can carry from one run to the next: its file, the index
 * of the top-level statement holding it, and where it starts inside that statement. Within one run
 * two nodes have the same key exactly when they are the same node. Across runs a key names the same
 * declaration as long as the file's top-level outline (`fileOutline`) and that statement's text did
 * not change, which is what the memo checks before it trusts a key it remembered.
 */
import { ts, type Node } from "ts-morph";

export function nodeKey(node: Node): string {
  const compilerNode = node.compilerNode;
  const { index, statement } = topStatement(compilerNode);
  return `${node.getSourceFile().getFilePath()}|${index}|${compilerNode.pos - statement.pos}|${compilerNode.kind}`;
}

/** The top-level statement a node is in (the node itself for a statement), with its index. */
export function topStatement(node: ts.Node): { index: number; statement: ts.Node } {
  let statement = node;
  while (statement.parent && !ts.isSourceFile(statement.parent)) statement = statement.parent;
  const file = statement.parent as ts.SourceFile | undefined;
  return { index: file ? file.statements.indexOf(statement as ts.Statement) : -1, statement };
}
