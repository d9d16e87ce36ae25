/**
 * A payload's shape as `taskq.lock.json` records it: the type with every named type written out, so a
 * renamed or moved type is the same shape. Docs and `readonly` are left out (they do not change what
 * decodes); the types of a recursive cycle stay references, defined once beside the root.
 */
import { createHash } from "node:crypto";
import { namedTypeJson, type JsonValue, type Manifest, type NamedType, type TypeNode, type TypeRef } from "../manifest.js";

export interface PayloadShape {
  type: TypeNode;
  /** The recursive types the shape refers to by name. */
  types?: Record<string, TypeNode>;
}

export function payloadShape(manifest: Manifest, ref: TypeRef): PayloadShape {
  return hashedPayloadShape(manifest, ref).shape;
}

/** A payload's shape and its hash, written from the named types it reaches. */
interface HashedShape {
  shape: PayloadShape;
  hash: string;
  /** Every named type the shape was written from, by name: it is the same while they are. */
  uses: Map<string, NamedType>;
}

/**
 * The last shape of each payload type outside any cycle, kept with its named type: `--watch` checks
 * the lock on every rebuild, and most payloads and the types they reach are the same as last time.
 */
const shapes = new WeakMap<NamedType, HashedShape>();

/** `payloadShape` and `shapeHash` together, the pair reused while the types it reached are the same. */
export function hashedPayloadShape(manifest: Manifest, ref: TypeRef): { shape: PayloadShape; hash: string } {
  const root = ref.kind === "ref" ? manifest.types[ref.name] : undefined;
  const cached = root && shapes.get(root);
  if (cached && stillHolds(cached.uses, manifest)) return cached;
  const uses = new Map<string, NamedType>();
  const shape = writeShape(manifest, ref, uses);
  const hashed = { shape, hash: shapeHash(shape), uses };
  if (root && ![...uses.values()].some((named) => named.cycle)) shapes.set(root, hashed);
  return hashed;
}

function stillHolds(uses: Map<string, NamedType>, manifest: Manifest): boolean {
  for (const [name, named] of uses) {
    const now = manifest.types[name] as NamedType | undefined;
    if (now === named) continue;
    if (now === undefined || namedTypeJson(now) !== namedTypeJson(named)) return false;
    uses.set(name, now); // the same type again: found by identity next time
  }
  return true;
}

function writeShape(manifest: Manifest, ref: TypeRef, uses: Map<string, NamedType>): PayloadShape {
  const cycles: Record<string, TypeNode> = {};
  const expand = (node: TypeNode): TypeNode => {
    switch (node.kind) {
      case "ref": {
        const named = manifest.types[node.name];
        uses.set(node.name, named);
        if (!named.cycle) return expand(named.type);
        if (!(node.name in cycles)) {
          cycles[node.name] = node; // placeholder: a cycle reaches itself again while being expanded
          cycles[node.name] = expand(named.type);
        }
        return node;
      }
      case "array":
        return { ...node, readonly: undefined, items: expand(node.items) };
      case "tuple":
        return { ...node, readonly: undefined, items: node.items.map(expand) };
      case "record":
        return { ...node, values: expand(node.values) };
      case "union":
        return { ...node, members: node.members.map(expand) };
      case "object":
        return { kind: "object", properties: node.properties.map(({ name, optional, type }) => ({ name, optional, type: expand(type) })) };
      default:
        return node;
    }
  };
  const type = ref.kind === "void" ? ({ kind: "null" } as TypeNode) : expand(ref);
  const names = Object.keys(cycles).sort();
  const shape = names.length === 0 ? { type } : { type, types: Object.fromEntries(names.map((name) => [name, cycles[name]])) };
  return sortKeys(shape) as unknown as PayloadShape;
}

/** `sha256:` and the hex digest of the shape's canonical JSON (its keys are already sorted). */
export function shapeHash(shape: PayloadShape): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(shape)).digest("hex")}`;
}

/** The value with every object's keys sorted and `undefined` members dropped. */
export function sortKeys(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value as JsonValue;
  // A loop rather than entries/filter/fromEntries: the lock check runs this over every payload on
  // every `--watch` rebuild. `sort()` without a comparator orders by UTF-16 code units, as `<` does.
  const sorted: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}
