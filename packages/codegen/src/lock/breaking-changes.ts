/**
 * What makes a new payload shape refuse data the old one accepted. Payloads of the old shape are
 * still in Redis, and producers on the old code still send them, so the new shape must accept every
 * one: a field removed, a type changed, an optional field made required, a required field added, an
 * enum value removed or a constraint narrowed is breaking. Each break names its field and the change.
 */
import type { PropertyNode, TypeNode } from "../manifest.js";
import { narrowedConstraints } from "./narrowed-constraints.js";
import type { PayloadShape } from "./payload-shape.js";

export interface BreakingChange {
  /** `content`, `author.name`, `tags[]`; "" for the payload itself. */
  path: string;
  change: string;
}

export function breakingChanges(before: PayloadShape, after: PayloadShape): BreakingChange[] {
  const seen = new Set<string>();
  const resolve = (node: TypeNode, shape: PayloadShape) => (node.kind === "ref" ? (shape.types?.[node.name] ?? node) : node);

  const compare = (oldNode: TypeNode, newNode: TypeNode, path: string): BreakingChange[] => {
    if (oldNode.kind === "ref" && newNode.kind === "ref") {
      // A recursive type: once a pair of its types is being compared, meeting it again adds nothing.
      const key = `${oldNode.name}\u0000${newNode.name}`;
      if (seen.has(key)) return [];
      seen.add(key);
    }
    const old = resolve(oldNode, before);
    const next = resolve(newNode, after);
    if (old.kind === "union") return old.members.flatMap((member) => compare(member, next, path));
    if (next.kind === "union") return compareToUnion(old, next.members, path);
    return compareSame(old, next, path);
  };

  /** `old` is one kind; some member of the new union must take all of it. */
  const compareToUnion = (old: TypeNode, members: TypeNode[], path: string): BreakingChange[] => {
    const tries = members.map((member) => compare(old, member, path));
    if (tries.some((found) => found.length === 0)) return [];
    if (old.kind === "literal") return [{ path, change: `enum value ${JSON.stringify(old.value)} removed` }];
    if (old.kind === "null") return [{ path, change: "null no longer allowed" }];
    const sameKind = tries.filter((_, i) => kindOf(resolve(members[i], after)) === kindOf(old));
    if (sameKind.length === 0) return [{ path, change: `type changed from ${kindOf(old)} to ${members.map((m) => kindOf(resolve(m, after))).join(" | ")}` }];
    return sameKind.reduce((best, found) => (found.length < best.length ? found : best));
  };

  const compareSame = (old: TypeNode, next: TypeNode, path: string): BreakingChange[] => {
    if (old.kind === "literal" && next.kind === "literal") {
      return old.value === next.value ? [] : [{ path, change: `enum value ${JSON.stringify(old.value)} removed` }];
    }
    if (old.kind === "literal" && next.kind === typeof old.value) return [];
    const widened = old.kind === "integer" && next.kind === "number";
    if (old.kind !== next.kind && !widened) return [{ path, change: `type changed from ${kindOf(old)} to ${kindOf(next)}` }];
    const own = narrowedConstraints(old, next).map((change) => ({ path, change }));
    switch (old.kind) {
      case "array":
        return [...own, ...compare(old.items, (next as typeof old).items, `${path}[]`)];
      case "record":
        return [...own, ...compare(old.values, (next as typeof old).values, `${path}{}`)];
      case "tuple": {
        const items = (next as typeof old).items;
        if (items.length !== old.items.length) return [{ path, change: `tuple length changed from ${old.items.length} to ${items.length}` }];
        return [...own, ...old.items.flatMap((item, i) => compare(item, items[i], `${path}[${i}]`))];
      }
      case "object":
        return [...own, ...compareObjects(old.properties, (next as typeof old).properties, path)];
      default:
        return own;
    }
  };

  const compareObjects = (old: PropertyNode[], next: PropertyNode[], path: string): BreakingChange[] => {
    const at = (name: string) => (path ? `${path}.${name}` : name);
    const changes: BreakingChange[] = [];
    for (const property of old) {
      const match = next.find((candidate) => candidate.name === property.name);
      if (!match) changes.push({ path: at(property.name), change: "removed" });
      else {
        if (property.optional && !match.optional && !hasDefault(match.type)) changes.push({ path: at(property.name), change: "optional made required" });
        changes.push(...compare(property.type, match.type, at(property.name)));
      }
    }
    for (const property of next) {
      if (property.optional || hasDefault(property.type) || old.some((candidate) => candidate.name === property.name)) continue;
      changes.push({ path: at(property.name), change: "added as required (payloads without it no longer decode)" });
    }
    return changes;
  };

  return compare(before.type, after.type, "");
}

/** A required field with a `@default` is filled in on decode, so payloads without it still decode. */
function hasDefault(node: TypeNode): boolean {
  return "default" in node && node.default !== undefined;
}

function kindOf(node: TypeNode): string {
  return node.kind === "literal" ? JSON.stringify(node.value) : node.kind === "ref" ? node.name : node.kind;
}
