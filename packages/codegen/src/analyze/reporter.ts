/** Turns "this node is wrong" into a located `Diagnostic`, and keeps every one of them. */
import path from "node:path";
import type { Node } from "ts-morph";
import type { Diagnostic, DiagnosticSite } from "../diagnostic.js";

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly cwd: string = process.cwd()) {}

  /**
   * Records an error at `node` (at `position` inside its file, when given). Every error says how to
   * fix it: `hint` is required so that a new kind of error cannot be added without one.
   */
  error(node: Node, message: string, hint: string, position?: number): void {
    this.diagnostics.push({ ...this.site(node, position), message, hint });
  }

  /** Where `node` is: kept for checks that run after analysis, such as the lock file's. */
  site(node: Node, position?: number): DiagnosticSite {
    const sourceFile = node.getSourceFile();
    // TypeScript's own lookup uses the file's cached line map; ts-morph's rescans the text each call.
    const at = sourceFile.compilerNode.getLineAndCharacterOfPosition(position ?? node.getStart());
    const file = path.relative(this.cwd, sourceFile.getFilePath()).split(path.sep).join("/");
    return { file, line: at.line + 1, column: at.character + 1 };
  }

  /** Diagnostics in file order, then position: stable whatever order the analyzer met them in. */
  sorted(): Diagnostic[] {
    return [...this.diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }
}
