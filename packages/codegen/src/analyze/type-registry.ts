/**
 * The named types of the manifest. A declared type alias or interface becomes one named schema,
 * mapped once and referenced everywhere it is used. Types are added after their dependencies, so
 * the emitted `const XSchema` declarations never refer to one not yet declared.
 */
import { Node, type InterfaceDeclaration, type TypeAliasDeclaration } from "ts-morph";
import type { NamedType, TypeNode } from "../manifest.js";
import { applyTags } from "./apply-tags.js";
import { docText, readConstraintTags } from "./jsdoc-tags.js";
import { mapType } from "./map-type.js";
import { RESERVED_NAMES } from "./names.js";
import { mapMembers } from "./object-type.js";
import type { Reporter } from "./reporter.js";
import type { NameBook } from "./unique-names.js";

export interface TypeContext {
  reporter: Reporter;
  registry: TypeRegistry;
  names: NameBook;
}

type Declaration = TypeAliasDeclaration | InterfaceDeclaration;

export class TypeRegistry {
  private readonly types = new Map<string, NamedType>();
  /** Which declaration owns each name: a second declaration with the same name is a clash. */
  private readonly owners = new Map<string, Node>();
  private readonly inProgress = new Set<string>();
  private readonly failed = new Set<string>();

  /** A reference to the declared type, mapping it on first use; undefined when it cannot be mapped. */
  named(declaration: Declaration, at: Node, ctx: TypeContext): TypeNode | undefined {
    const name = declaration.getName();
    if (!this.claim(name, declaration, at, ctx.reporter)) return undefined;
    if (this.failed.has(name)) return undefined;
    if (this.types.has(name)) return { kind: "ref", name };
    if (this.inProgress.has(name)) {
      ctx.reporter.error(at, `recursive types are not supported yet: ${name} refers to itself`);
      return undefined;
    }
    this.inProgress.add(name);
    const type = mapDeclaration(declaration, ctx);
    this.inProgress.delete(name);
    if (!type) {
      this.failed.add(name);
      return undefined;
    }
    const doc = docText(declaration.getJsDocs());
    this.types.set(name, doc === undefined ? { type } : { doc, type });
    return { kind: "ref", name };
  }

  /** Registers an inline payload or result type under a generated name (`TweetPayload`). */
  inline(name: string, type: TypeNode, at: Node, reporter: Reporter): TypeNode | undefined {
    if (!this.claim(name, at, at, reporter)) return undefined;
    this.types.set(name, { type });
    return { kind: "ref", name };
  }

  /** The named types, dependencies first. */
  all(): Record<string, NamedType> {
    return Object.fromEntries(this.types);
  }

  private claim(name: string, owner: Node, at: Node, reporter: Reporter): boolean {
    if (RESERVED_NAMES.has(name)) {
      reporter.error(at, `the name ${name} is used by the generated code`, `rename the type ${name}`);
      return false;
    }
    const current = this.owners.get(name);
    if (current === undefined) this.owners.set(name, owner);
    else if (current !== owner) {
      const where = current.getSourceFile().getBaseName();
      reporter.error(at, `two types are named ${name} (another is in ${where})`, "rename one of them");
      return false;
    }
    return true;
  }
}

function mapDeclaration(declaration: Declaration, ctx: TypeContext): TypeNode | undefined {
  const subject = `type ${declaration.getName()}`;
  const tags = readConstraintTags(declaration.getJsDocs(), ctx.reporter);
  if (Node.isInterfaceDeclaration(declaration) && declaration.getExtends().length > 0) {
    ctx.reporter.error(declaration.getExtends()[0], "interfaces that extend others are not supported yet", "list the properties in one type");
    return undefined;
  }
  const mapped = Node.isInterfaceDeclaration(declaration)
    ? mapMembers(declaration.getMembers(), ctx)
    : mapType(declaration.getTypeNodeOrThrow(), ctx);
  return mapped && applyTags(mapped, tags, subject, ctx.reporter);
}
