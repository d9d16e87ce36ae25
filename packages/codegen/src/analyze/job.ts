/**
 * One `@Job` method → a job of the manifest: its name, options, payload (first parameter), optional
 * `JobContext` (second parameter) and result (`Promise<R>`, `R`, or void).
 */
import { Node, Scope, SyntaxKind, type Decorator, type MethodDeclaration, type TypeNode as TsTypeNode } from "ts-morph";
import type { JobManifest, TypeRef } from "../manifest.js";
import { readJobOptions } from "./job-options.js";
import { readLiteral } from "./literal.js";
import { jobDoc } from "./job-doc.js";
import type { JobSites } from "./job-sites.js";
import { namedRef } from "./named-ref.js";
import { NAME_PATTERN, pascalCase } from "./names.js";
import type { RuntimeImports } from "./runtime-imports.js";
import type { TypeContext } from "./type-registry.js";
import { readUpgrades } from "./upgrades.js";

export function readJob(method: MethodDeclaration, decorator: Decorator, imports: RuntimeImports, ctx: TypeContext): JobManifest | undefined {
  const { reporter } = ctx;
  const before = reporter.diagnostics.length;
  const [optionsArg, ...extra] = decorator.isDecoratorFactory() ? decorator.getArguments() : [];
  if (!decorator.isDecoratorFactory()) reporter.error(decorator, "@Job must be called", "write @Job() or @Job({ ... })");
  for (const argument of extra) reporter.error(argument, "@Job takes one options object", "put every option in the first argument: @Job({ ... })");
  const literal = optionsArg && readLiteral(optionsArg, reporter);
  const args = optionsArg && !literal ? undefined : readJobOptions(literal, reporter);
  const methodName = method.getName();
  const name = args?.name ?? methodName;
  if (args?.name === undefined && !NAME_PATTERN.test(name)) {
    reporter.error(method.getNameNode(), `job name "${name}" must match ${NAME_PATTERN.source}`, "set a valid name with @Job({ name })");
  }
  // A duplicate name would also clash in its inline type names; report the cause, not the symptom.
  if (!ctx.names.claimJob(name, method.getNameNode(), reporter)) return undefined;
  if (method.isStatic()) reporter.error(method.getNameNode(), `job method ${methodName} must not be static`, "remove `static`: the worker calls the method on the instance it is given");
  if (method.getScope() !== Scope.Public || method.getNameNode().getKind() === SyntaxKind.PrivateIdentifier) {
    reporter.error(method.getNameNode(), `job method ${methodName} must be public: the worker calls it`, "remove `private`/`protected` (or the `#`)");
  }
  const payload = readPayload(method, pascalCase(name), ctx);
  const usesContext = readContextParameter(method, imports, ctx);
  const result = readResult(method, pascalCase(name), ctx);
  if (reporter.diagnostics.length > before || !args || !payload || !result) return undefined;
  const versionNode = versionOption(optionsArg) ?? decorator;
  const sites: JobSites = { payload: reporter.site(method.getParameters()[0].getTypeNodeOrThrow()), version: reporter.site(versionNode), upgrades: {} };
  ctx.jobSites.set(name, sites);
  const { version } = args.options;
  const upgrades = version > 1 ? readUpgrades(method.getSourceFile(), { name, pascal: pascalCase(name), version, versionNode, payload }, sites, ctx) : [];
  if (!upgrades) return undefined;
  const doc = jobDoc(method);
  return {
    name,
    method: methodName,
    ...(doc === undefined ? {} : { doc }),
    usesContext,
    options: args.options,
    payload,
    result,
    ...(upgrades.length > 0 ? { upgrades } : {}),
  };
}

/** The `version: n` property of the options literal, where a missing upgrade is reported. */
function versionOption(optionsArg: Node | undefined): Node | undefined {
  if (!optionsArg || !Node.isObjectLiteralExpression(optionsArg)) return undefined;
  return optionsArg.getProperty("version");
}

function readPayload(method: MethodDeclaration, pascal: string, ctx: TypeContext): TypeRef | undefined {
  const parameter = method.getParameters()[0];
  if (!parameter) {
    ctx.reporter.error(method.getNameNode(), `job ${method.getName()} needs a payload parameter`, "add `payload: T` as its first parameter");
    return undefined;
  }
  const typeNode = parameter.getTypeNode();
  if (!typeNode || parameter.isOptional() || parameter.isRestParameter()) {
    ctx.reporter.error(parameter, "the payload parameter needs a type and must not be optional", "write `payload: T`");
    return undefined;
  }
  return namedRef(typeNode, `${pascal}Payload`, ctx);
}

function readContextParameter(method: MethodDeclaration, imports: RuntimeImports, ctx: TypeContext): boolean {
  const [, context, ...extra] = method.getParameters();
  for (const parameter of extra) ctx.reporter.error(parameter, "a job method takes a payload and a JobContext only", "put the data in the payload type; pass services to the class constructor");
  if (!context) return false;
  const typeNode = context.getTypeNode();
  const isContext = typeNode && Node.isTypeReference(typeNode) && imports.jobContext.has(typeNode.getTypeName().getText());
  if (!isContext) {
    ctx.reporter.error(context, "the second parameter of a job must be its JobContext", 'write `ctx: JobContext` (import type { JobContext } from "@taskq/runtime")');
  }
  return true;
}

function readResult(method: MethodDeclaration, pascal: string, ctx: TypeContext): TypeRef | undefined {
  const returnType = method.getReturnTypeNode();
  if (!returnType) {
    const inferred = method.getReturnType().getText();
    if (inferred === "Promise<void>" || inferred === "void") return { kind: "void" };
    ctx.reporter.error(method.getNameNode(), `job ${method.getName()} needs a return type`, `write \`: Promise<${inferred.replace(/^Promise<(.*)>$/, "$1")}>\``);
    return undefined;
  }
  const inner = unwrapPromise(returnType);
  if (inner.getKind() === SyntaxKind.VoidKeyword) return { kind: "void" };
  return namedRef(inner, `${pascal}Result`, ctx);
}

function unwrapPromise(node: TsTypeNode): TsTypeNode {
  if (Node.isTypeReference(node) && node.getTypeName().getText() === "Promise" && node.getTypeArguments().length === 1) {
    return node.getTypeArguments()[0];
  }
  return node;
}
