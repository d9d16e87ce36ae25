/**
 * A type name (`Tweet`, `Array<string>`, `Date`, `Record<string, T>`) → what it stands for. Types
 * declared in the user's files become named schemas; the few library types that are JSON data map to
 * their own kinds; any other library or class type is an error.
 */
import { Node, SyntaxKind, type TypeNode as TsTypeNode, type TypeReferenceNode } from "ts-morph";
import type { TypeNode } from "../manifest.js";
import { arrayOf, mapType, readonlyOf } from "./map-type.js";
import type { TypeContext } from "./type-registry.js";

export function mapReference(node: TypeReferenceNode, ctx: TypeContext): TypeNode | undefined {
  const nameNode = node.getTypeName();
  const identifier = Node.isQualifiedName(nameNode) ? nameNode.getRight() : nameNode;
  return mapDeclaredName(identifier, nameNode.getText(), node.getTypeArguments(), node, ctx);
}

/** The type `name` (with its type arguments) declares; `at` is where a problem is reported. */
export function mapDeclaredName(identifier: Node, name: string, typeArguments: TsTypeNode[], at: Node, ctx: TypeContext): TypeNode | undefined {
  const declaration = resolveDeclaration(identifier);
  const fail = (message: string, hint: string) => (ctx.reporter.error(at, message, hint), undefined);
  if (!declaration) return fail(`cannot find the type ${name}`, `declare ${name}, or import it from a relative module`);
  if (isLibraryFile(declaration)) return mapLibraryType(name, typeArguments, at, ctx);
  ctx.registry.recording?.declarations.push(declaration.compilerNode);
  if (Node.isTypeParameterDeclaration(declaration)) {
    return fail(`unresolved generic type ${name}`, "payload and result types must be concrete");
  }
  if (Node.isClassDeclaration(declaration)) {
    return fail(`class instances cannot be stored in a job: ${name}`, `describe the data with a type or interface instead of the class ${name}`);
  }
  if (Node.isEnumMember(declaration)) {
    const value = declaration.getValue();
    if (typeof value === "string") return { kind: "literal", value };
    return fail(`enum member ${name} has no string value`, "use a string enum");
  }
  const isDeclaredType = Node.isTypeAliasDeclaration(declaration) || Node.isInterfaceDeclaration(declaration) || Node.isEnumDeclaration(declaration);
  if (!isDeclaredType) return fail(`${name} is not a type alias, interface or enum`, `declare the data's type: type ${name} = { ... }`);
  const generic = !Node.isEnumDeclaration(declaration) && declaration.getTypeParameters().length > 0;
  if (typeArguments.length > 0 || generic) {
    return fail(`generic types are not supported: ${name}`, "declare a concrete type for the payload");
  }
  return ctx.registry.named(declaration, at, ctx);
}

function mapLibraryType(name: string, typeArguments: TsTypeNode[], at: Node, ctx: TypeContext): TypeNode | undefined {
  const fail = (message: string, hint: string) => (ctx.reporter.error(at, message, hint), undefined);
  if ((name === "Array" || name === "ReadonlyArray") && typeArguments.length === 1) {
    const array = arrayOf(mapType(typeArguments[0], ctx));
    return name === "Array" ? array : readonlyOf(array);
  }
  if (name === "Date") return { kind: "date" };
  if (name === "Record" && typeArguments.length === 2) {
    if (typeArguments[0].getKind() !== SyntaxKind.StringKeyword) {
      return fail(`Record keys must be string, not \`${typeArguments[0].getText()}\``, "write Record<string, T>, or an object type listing the keys");
    }
    const values = mapType(typeArguments[1], ctx);
    return values && { kind: "record", values };
  }
  return fail(`${name} is not supported in a payload or result`, "declare the data's type in jobs.ts or a relative module");
}

function resolveDeclaration(identifier: Node): Node | undefined {
  const symbol = identifier.getSymbol();
  const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
  return target?.getDeclarations()[0];
}

function isLibraryFile(declaration: Node): boolean {
  const file = declaration.getSourceFile();
  return file.isDeclarationFile() || file.isInNodeModules();
}
