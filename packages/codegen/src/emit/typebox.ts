/**
 * A manifest `TypeNode` → the TypeBox expression that validates it. Named types are referenced by
 * their `XSchema` constant, so each is declared once and shared; inside a recursive type, the types
 * of its cycle are referenced by name (`Type.Ref("Comment")`) within one `Type.Cyclic`.
 */
import type { JsonValue, TypeNode } from "../manifest.js";
import { keyCode, literalCode } from "./code-literal.js";

/** Constraint keys in the order they are written, whatever order the tags were in. */
const OPTION_KEYS = [
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems",
  "default",
] as const;

/** What a schema expression is written within: its indentation and the names of its cycle. */
export interface SchemaScope {
  indent: string;
  cycle: ReadonlySet<string>;
}

const TOP: SchemaScope = { indent: "", cycle: new Set() };

export function typeBox(node: TypeNode, scope: SchemaScope = TOP): string {
  switch (node.kind) {
    case "string":
      return `Type.String(${options(node)})`;
    case "number":
      return `Type.Number(${options(node)})`;
    case "integer":
      return `Type.Integer(${options(node)})`;
    case "boolean":
      return `Type.Boolean(${options(node)})`;
    case "null":
      return "Type.Null()";
    case "date":
      return "IsoDate()";
    case "literal":
      return `Type.Literal(${[JSON.stringify(node.value), options(node)].filter(Boolean).join(", ")})`;
    case "ref":
      return scope.cycle.has(node.name) ? `Type.Ref(${JSON.stringify(node.name)})` : `${node.name}Schema`;
    case "array": {
      const array = `Type.Array(${[typeBox(node.items, scope), options(node)].filter(Boolean).join(", ")})`;
      return node.readonly ? `Type.Immutable(${array})` : array;
    }
    case "tuple": {
      const tuple = `Type.Tuple([${node.items.map((item) => typeBox(item, scope)).join(", ")}])`;
      return node.readonly ? `Type.Immutable(${tuple})` : tuple;
    }
    case "record":
      return `Type.Record(Type.String(), ${typeBox(node.values, scope)})`;
    case "union":
      return unionSchema(node, scope);
    case "object":
      return objectSchema(node, scope);
  }
}

/** `{ minLength: 1, maxLength: 280 }`, or "" when the node has no constraints. */
function options(node: TypeNode): string {
  const source = node as Partial<Record<(typeof OPTION_KEYS)[number], JsonValue>>;
  const present = OPTION_KEYS.filter((key) => source[key] !== undefined);
  return present.length === 0 ? "" : literalCode(Object.fromEntries(present.map((key) => [key, source[key]!])));
}

function deeper(scope: SchemaScope): SchemaScope {
  return { ...scope, indent: `${scope.indent}  ` };
}

function unionSchema(node: Extract<TypeNode, { kind: "union" }>, scope: SchemaScope): string {
  const extra = options(node);
  const tail = extra ? `, ${extra}` : "";
  if (!node.members.some((member) => member.kind === "object")) {
    return `Type.Union([${node.members.map((member) => typeBox(member, scope)).join(", ")}]${tail})`;
  }
  const inner = deeper(scope);
  const members = node.members.map((member) => `${inner.indent}${typeBox(member, inner)},`);
  return `Type.Union([\n${members.join("\n")}\n${scope.indent}]${tail})`;
}

function objectSchema(node: Extract<TypeNode, { kind: "object" }>, scope: SchemaScope): string {
  // An empty object type is `Record<string, never>` in TypeScript, so its schema says so too.
  if (node.properties.length === 0) return "Type.Unsafe<Record<string, never>>(Type.Object({}, { additionalProperties: false }))";
  const inner = deeper(scope);
  const lines = node.properties.map((property) => {
    let schema = typeBox(property.type, inner);
    if (property.readonly) schema = `Type.Readonly(${schema})`;
    return `${inner.indent}${keyCode(property.name)}: ${property.optional ? `Type.Optional(${schema})` : schema},`;
  });
  return `Type.Object({\n${lines.join("\n")}\n${scope.indent}})`;
}

/** The schema of a recursive named type: every type of its cycle as a definition, entered at `name`. */
export function cyclicSchema(name: string, cycle: string[], typeOf: (name: string) => TypeNode): string {
  const scope: SchemaScope = { indent: "  ", cycle: new Set(cycle) };
  const definitions = cycle.map((member) => `  ${keyCode(member)}: ${typeBox(typeOf(member), scope)},`);
  return `Type.Cyclic({\n${definitions.join("\n")}\n}, ${JSON.stringify(name)})`;
}
