/** The data `codecs.ts.hbs` renders: one entry per named type, its TS type and schema as code. */
import type { Manifest } from "../manifest.js";
import { docComment } from "./doc-comment.js";
import { tsType } from "./ts-type.js";
import { typeBox } from "./typebox.js";

export interface CodecsView {
  types: Array<{ name: string; doc: string; tsType: string; schema: string }>;
  /** True when some job returns nothing, so `VoidCodec` is declared. */
  usesVoid: boolean;
}

export function codecsView(manifest: Manifest): CodecsView {
  const types = Object.entries(manifest.types).map(([name, named]) => ({
    name,
    doc: docComment(named.doc),
    tsType: tsType(named.type),
    schema: typeBox(named.type),
  }));
  return { types, usesVoid: usesVoid(manifest) };
}

export function usesVoid(manifest: Manifest): boolean {
  return manifest.queues.some((queue) => queue.jobs.some((job) => job.result.kind === "void"));
}
