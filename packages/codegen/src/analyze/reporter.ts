/** Turns "this node is wrong" into a located `Diagnostic`, and keeps every one of them. */
import path from "node:path";
import type { Node } from "ts-morph";
import type { Diagnostic } from "../diagnostic.js";

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly cwd: string = process.cwd()) {}

  /**
   * Records an error at `node` (at `position` inside its file, when given). Every error says how to
   * fix it: `hint` is required so that a new kind of error cannot be added without one.
   */
  error(node: Node, message: string, hint: string, position?: number): void {
    const sourceFile = node.getSourceFile();
    const at = sourceFile.getLineAndColumnAtPos(position ?? node.getStart());
    const file = path.relative(this.cwd, sourceFile.getFilePath()).split(path.sep).join("/");
    const diagnostic: Diagnostic = { file, line: at.line, column: at.column, message, hint };
    this.diagnostics.push(diagnostic);
  }

  /** Diagnostics in file order, then position: stable whatever order the analyzer met them in. */
  sorted(): Diagnostic[] {
    return [...this.diagnostics].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
    );
  }
}
