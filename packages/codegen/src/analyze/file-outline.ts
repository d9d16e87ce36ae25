/**
 * A file's top-level outline for the `--watch` memo: what each top-level statement declares (kind,
 * name, modifiers), and the whole text of every statement that is not a plain declaration (imports,
 * exports, namespaces, `declare global`). Which declaration a type name resolves to depends only on
 * this outline and on the text of the statements the name is used in, so a job whose own text and
 * whose types' texts are unchanged resolves as before while the outline stays the same.
 */
import { ts } from "ts-morph";

export function fileOutline(file: ts.SourceFile): string {
  return [file.fileName, ...file.statements.map((statement) => statementOutline(statement, file))].join("\n");
}

function statementOutline(statement: ts.Statement, file: ts.SourceFile): string {
  if (isPlainDeclaration(statement) && statement.name && ts.isIdentifier(statement.name)) {
    return `${statement.kind} ${statement.name.text} ${modifierKinds(statement)}`;
  }
  if (ts.isVariableStatement(statement)) {
    const names = statement.declarationList.declarations.map((declaration) => declaration.name.getText(file));
    return `${statement.kind} ${statement.declarationList.flags} ${names.join(",")} ${modifierKinds(statement)}`;
  }
  return statement.getText(file);
}

type PlainDeclaration = ts.TypeAliasDeclaration | ts.InterfaceDeclaration | ts.EnumDeclaration | ts.ClassDeclaration | ts.FunctionDeclaration;

function isPlainDeclaration(statement: ts.Statement): statement is PlainDeclaration {
  return (
    ts.isTypeAliasDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isFunctionDeclaration(statement)
  );
}

/** `export`, `default`, `declare`, `const` (of an enum)…; decorators are left out. */
function modifierKinds(statement: ts.Statement): string {
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  return modifiers.map((modifier) => modifier.kind).join(",");
}
