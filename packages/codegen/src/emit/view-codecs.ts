/** The data `codecs.ts.hbs` renders: one entry per named type, its TS type and schema as code. */
import type { Manifest, TypeNode } from "../manifest.js";
import { docComment } from "./doc-comment.js";
import { importList, sortNames } from "./import-list.js";
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
  const types = Object.entries(manifest.types).map(([name, named]) => ({
    name,
    doc: docComment(named.doc),
    tsType: tsType(named.type),
    schema: named.cycle ? cyclicSchema(name, named.cycle, typeOf) : typeBox(named.type),
  }));
  const usesDate = Object.values(manifest.types).some((named) => containsDate(named.type));
  const runtimeValues = ["createCodec", ...(usesDate ? ["IsoDate"] : [])];
  return {
    runtimeImport: importList("import", sortNames(runtimeValues, ["Codec"]), "@taskq/runtime"),
    types,
    usesVoid: usesVoid(manifest),
  };
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
