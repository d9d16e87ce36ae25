// Codegen errors the user fixes in jobs.ts, and how they are printed.
import { readFileSync } from "node:fs";

/**
 * A codegen error the user fixes in jobs.ts: where it is, what is wrong, and how to fix it.
 * The analyzer collects every one in a single run rather than stopping at the first.
 */
export interface Diagnostic {
  /** Path of the file, relative to the working directory, with `/` separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it. */
  hint: string;
}

/** Where something is in a source file, as a diagnostic says it. */
export type DiagnosticSite = Pick<Diagnostic, "file" | "line" | "column">;

/** Reads a file's text for the code frame; undefined when it cannot be read. */
export type SourceReader = (file: string) => string | undefined;

const readSource: SourceReader = (file) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

/** `file:line:col: error: message`, then the hint and a code frame of the offending line. */
export function renderDiagnostic(diagnostic: Diagnostic, read: SourceReader = readSource): string {
  const { file, line, column, message, hint } = diagnostic;
  const lines = [`${file}:${line}:${column}: error: ${message}`];
  lines.push(`  hint: ${hint}`);
  const sourceLine = read(file)?.split(/\r?\n/)[line - 1];
  if (sourceLine !== undefined) {
    const gutter = String(line);
    lines.push(`  ${gutter} | ${sourceLine}`);
    lines.push(`  ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, column - 1))}^`);
  }
  return lines.join("\n");
}

/** Every diagnostic rendered as {@link renderDiagnostic} does, then the count and that nothing was written. */
export function renderDiagnostics(diagnostics: Diagnostic[], read?: SourceReader): string {
  const plural = diagnostics.length === 1 ? "" : "s";
  const body = diagnostics.map((d) => renderDiagnostic(d, read)).join("\n\n");
  return `${body}\n\n${diagnostics.length} error${plural}; nothing was written.`;
}
