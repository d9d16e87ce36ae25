/**
 * A type name (`Tweet`, `Array<string>`, `Date`) → what it stands for. Types declared in the user's
 * files become named schemas; `Array<T>` is an array; any other library or class type is an error.
 */
import { Node, type TypeReferenceNode } from "ts-morph";
import type { TypeNode } from "../manifest.js";
import { arrayOf, mapType } from "./map-type.js";
import type { TypeContext } from "./type-registry.js";

export function mapReference(node: TypeReferenceNode, ctx: TypeContext): TypeNode | undefined {
  const nameNode = node.getTypeName();
  const name = nameNode.getText();
  const typeArguments = node.getTypeArguments();
  const declaration = resolveDeclaration(Node.isQualifiedName(nameNode) ? nameNode.getRight() : nameNode);
  const fail = (message: string, hint?: string) => (ctx.reporter.error(node, message, hint), undefined);
  if (!declaration) return fail(`cannot find the type ${name}`);
  if (isLibraryFile(declaration)) {
    if ((name === "Array" || name === "ReadonlyArray") && typeArguments.length === 1) {
      return arrayOf(mapType(typeArguments[0], ctx));
    }
    if (name === "Date") return fail("Date is not supported yet", "use a string with @format date-time");
    return fail(`${name} is not supported in a payload or result`, "declare the data's type in jobs.ts or a relative module");
  }
  if (Node.isTypeParameterDeclaration(declaration)) {
    return fail(`unresolved generic type ${name}`, "payload and result types must be concrete");
  }
  if (Node.isClassDeclaration(declaration)) {
    return fail(`class instances cannot be stored in a job: ${name}`, `describe the data with a type or interface instead of the class ${name}`);
  }
  if (Node.isEnumDeclaration(declaration)) {
    return fail(`enums are not supported yet: ${name}`, 'use a union of string literals: "a" | "b"');
  }
  if (!Node.isTypeAliasDeclaration(declaration) && !Node.isInterfaceDeclaration(declaration)) {
    return fail(`${name} is not a type alias or interface`);
  }
  if (typeArguments.length > 0 || declaration.getTypeParameters().length > 0) {
    return fail(`generic types are not supported yet: ${name}`, "declare a concrete type for the payload");
  }
  return ctx.registry.named(declaration, node, ctx);
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
