/** The data `codecs.ts.hbs` renders: one entry per named type, its TS type and schema as code. */
import type { Manifest, NamedType, TypeNode } from "../manifest.js";
import { docComment } from "./doc-comment.js";
import { importList, RUNTIME_INTERNAL, sortNames } from "./import-list.js";
import { tsType } from "./ts-type.js";
import { cyclicSchema, typeBox } from "./typebox.js";

export interface CodecsView {
  runtimeImport: string;
  types: Array<{ name: string; doc: string; tsType: string; schema: string }>;
  /** True when some job returns nothing, so `VoidCodec` is declared. */
  usesVoid: boolean;
}

export function codecsView(manifest: Manifest): CodecsView {
  const typeOf = (name: string) => manifest.types[name].type;
  const types = Object.entries(manifest.types).map(([name, named]) => {
    if (named.cycle)
      return {
        name,
        doc: docComment(named.doc),
        tsType: tsType(named.type),
        schema: cyclicSchema(name, named.cycle, typeOf),
        usesDate: containsDate(named.type),
      };
    return { name, ...ownCode(named) };
  });
  const usesDate = types.some((type) => type.usesDate);
  const runtimeValues = ["createCodec", ...(usesDate ? ["IsoDate"] : [])];
  return {
    runtimeImport: importList("import", sortNames(runtimeValues, ["Codec"]), RUNTIME_INTERNAL),
    types: types.map(({ name, doc, tsType, schema }) => ({ name, doc, tsType, schema })),
    usesVoid: usesVoid(manifest),
  };
}

/**
 * A type outside any cycle is written from its own node alone (named types it refers to by name), so
 * its code is kept with it: `--watch` hands the same objects back for the jobs a save did not change.
 */
const codeOf = new WeakMap<NamedType, { doc: string; tsType: string; schema: string; usesDate: boolean }>();

function ownCode(named: NamedType): { doc: string; tsType: string; schema: string; usesDate: boolean } {
  let code = codeOf.get(named);
  if (!code) {
    code = { doc: docComment(named.doc), tsType: tsType(named.type), schema: typeBox(named.type), usesDate: containsDate(named.type) };
    codeOf.set(named, code);
  }
  return code;
}

export function usesVoid(manifest: Manifest): boolean {
  return manifest.queues.some((queue) => queue.jobs.some((job) => job.result.kind === "void"));
}

function containsDate(node: TypeNode): boolean {
  switch (node.kind) {
    case "date":
      return true;
    case "array":
      return containsDate(node.items);
    case "record":
      return containsDate(node.values);
    case "tuple":
      return node.items.some(containsDate);
    case "union":
      return node.members.some(containsDate);
    case "object":
      return node.properties.some((property) => containsDate(property.type));
    default:
      return false;
  }
}
