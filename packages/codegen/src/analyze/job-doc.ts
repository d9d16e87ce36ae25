/**
 * A job method's TSDoc, as its generated enqueue and schedule functions carry it so editors show it
 * on hover: the description, and `@deprecated` (editors strike a deprecated function through).
 * `@param` and `@returns` describe the method's own parameters, which the generated functions lack.
 */
import type { MethodDeclaration } from "ts-morph";
import { docText } from "./jsdoc-tags.js";

export function jobDoc(method: MethodDeclaration): string | undefined {
  const docs = method.getJsDocs();
  const deprecated = docs.flatMap((doc) => doc.getTags()).filter((tag) => tag.getTagName() === "deprecated");
  const notes = deprecated.map((tag) => `@deprecated${tag.getCommentText() ? ` ${tag.getCommentText()!.trim()}` : ""}`);
  const parts = [docText(docs), ...notes].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join("\n") : undefined;
}
