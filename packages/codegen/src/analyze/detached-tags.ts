/**
 * A JSDoc block on the same line as the `{` of an object type (or after a member's `;`) belongs to
 * nothing: TypeScript attaches a doc comment only when it starts its own line. Its tags would be
 * silently ignored, so a constraint written there is an error that says where to move it.
 */
import { Node, SyntaxKind, ts, type TypeElementTypes } from "ts-morph";
import { TAG_NAMES } from "./jsdoc-tags.js";
import type { TypeContext } from "./type-registry.js";

/** `container` is a type literal or an interface. */
export function reportDetachedTags(container: Node, members: TypeElementTypes[], ctx: TypeContext): void {
  const brace = container.getFirstChildByKind(SyntaxKind.OpenBraceToken);
  if (!brace) return;
  const text = container.getSourceFile().getFullText();
  const anchors = [{ end: brace.getEnd(), after: "`{`" }, ...members.map((member) => ({ end: member.getEnd(), after: "the member before it" }))];
  for (const { end, after } of anchors) {
    for (const range of ts.getTrailingCommentRanges(text, end) ?? []) {
      const comment = text.slice(range.pos, range.end);
      const tag = /@([A-Za-z]+)/.exec(comment);
      if (!comment.startsWith("/**") || !tag || !(TAG_NAMES as string[]).includes(tag[1])) continue;
      const next = members.find((member) => member.getStart() >= range.end);
      const target = next && Node.isPropertySignature(next) ? `the line above ${next.getName()}` : "a line of its own above the property";
      ctx.reporter.error(
        container,
        `@${tag[1]} is on the same line as ${after}, so TypeScript attaches it to nothing and it would be ignored`,
        `move ${comment} to ${target}`,
        range.pos + tag.index,
      );
    }
  }
}
