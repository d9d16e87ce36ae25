/** A JSDoc block for generated code, kept on one line when the text is one line. */

/** The comment followed by a newline and `indent`, or "" when there is no text. */
export function docComment(text: string | undefined, indent = ""): string {
  if (text === undefined || text.trim() === "") return "";
  const lines = text.replace(/\*\//g, "*\\/").split(/\r?\n/);
  if (lines.length === 1) return `/** ${lines[0]} */\n${indent}`;
  const body = lines.map((line) => `${indent} *${line ? ` ${line}` : ""}`).join("\n");
  return `/**\n${body}\n${indent} */\n${indent}`;
}
