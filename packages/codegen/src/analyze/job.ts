/**
 * One `@Job` method → a job of the manifest: its name, options, payload (first parameter), optional
 * `JobContext` (second parameter) and result (`Promise<R>`, `R`, or void).
 */
import { Node, Scope, SyntaxKind, type Decorator, type MethodDeclaration, type TypeNode as TsTypeNode } from "ts-morph";
import type { JobManifest, JobOptionsManifest, TypeRef } from "../manifest.js";
import { batchPayloadNode, batchResultNode } from "./batch-signature.js";
import { checkCustomBackoff } from "./custom-backoff.js";
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
  if (method.isStatic())
    reporter.error(
      method.getNameNode(),
      `job method ${methodName} must not be static`,
      "remove `static`: the worker calls the method on the instance it is given",
    );
  if (method.getScope() !== Scope.Public || method.getNameNode().getKind() === SyntaxKind.PrivateIdentifier) {
    reporter.error(method.getNameNode(), `job method ${methodName} must be public: the worker calls it`, "remove `private`/`protected` (or the `#`)");
  }
  const batch = args?.options.batch !== undefined;
  const payload = readPayload(method, pascalCase(name), batch, ctx);
  const usesContext = readContextParameter(method, batch ? imports.batchContext : imports.jobContext, batch, ctx);
  const progress = batch ? undefined : readProgress(method, pascalCase(name), ctx);
  const result = readResult(method, pascalCase(name), batch, ctx);
  if (args) checkBackoff(method, optionsArg, args.options, ctx);
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
    ...(progress ? { progress } : {}),
    ...(upgrades.length > 0 ? { upgrades } : {}),
  };
}

/** The `version: n` property of the options literal, where a missing upgrade is reported. */
function versionOption(optionsArg: Node | undefined): Node | undefined {
  if (!optionsArg || !Node.isObjectLiteralExpression(optionsArg)) return undefined;
  return optionsArg.getProperty("version");
}

/**
 * A custom backoff's function must exist in jobs.ts. A batch job cannot use one: the runtime's batch
 * runner retries with the definition's backoff only, so a custom one would dead-letter every retry.
 */
function checkBackoff(method: MethodDeclaration, optionsArg: Node | undefined, options: JobOptionsManifest, ctx: TypeContext): void {
  if (options.backoff.type !== "custom") return;
  const backoff = optionsArg && Node.isObjectLiteralExpression(optionsArg) ? optionsArg.getProperty("backoff") : undefined;
  const initializer = backoff && Node.isPropertyAssignment(backoff) ? backoff.getInitializer() : undefined;
  const nameNode = initializer && Node.isObjectLiteralExpression(initializer) ? initializer.getProperty("name") : undefined;
  const at = nameNode ?? backoff ?? method.getNameNode();
  if (options.batch) {
    ctx.reporter.error(
      at,
      `batch job ${method.getName()} cannot use a custom backoff`,
      'use { type: "exponential" } or { type: "fixed" } backoff for a batch job',
    );
    return;
  }
  checkCustomBackoff(method.getSourceFile(), options.backoff.name, at, ctx.reporter);
}

function readPayload(method: MethodDeclaration, pascal: string, batch: boolean, ctx: TypeContext): TypeRef | undefined {
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
  const itemNode = batch ? batchPayloadNode(method, typeNode, ctx.reporter) : typeNode;
  return itemNode && namedRef(itemNode, `${pascal}Payload`, ctx);
}

/** `contextNames`: the local names of `JobContext`, or of `BatchContext` for a batch job. */
function readContextParameter(method: MethodDeclaration, contextNames: Set<string>, batch: boolean, ctx: TypeContext): boolean {
  const [, context, ...extra] = method.getParameters();
  for (const parameter of extra)
    ctx.reporter.error(
      parameter,
      "a job method takes a payload and a JobContext only",
      "put the data in the payload type; pass services to the class constructor",
    );
  if (!context) return false;
  const typeNode = context.getTypeNode();
  const isContext = typeNode && Node.isTypeReference(typeNode) && contextNames.has(typeNode.getTypeName().getText());
  const expected = batch ? "BatchContext" : "JobContext";
  if (!isContext) {
    ctx.reporter.error(
      context,
      `the second parameter of a ${batch ? "batch " : ""}job must be its ${expected}`,
      `write \`ctx: ${expected}\` (import type { ${expected} } from "@taskq/runtime")`,
    );
  }
  return true;
}

/**
 * `G` of `ctx: JobContext<G>`, named `<Job>Progress` when written inline: the type the generated
 * handle's `progress()` yields. Undefined without a type argument (the handle's progress is unknown).
 */
function readProgress(method: MethodDeclaration, pascal: string, ctx: TypeContext): TypeRef | undefined {
  const typeNode = method.getParameters()[1]?.getTypeNode();
  if (!typeNode || !Node.isTypeReference(typeNode)) return undefined;
  const [argument, ...extra] = typeNode.getTypeArguments();
  for (const node of extra) ctx.reporter.error(node, "JobContext takes one type argument: the progress type", "write `ctx: JobContext<Progress>`");
  return argument && namedRef(argument, `${pascal}Progress`, ctx);
}

function readResult(method: MethodDeclaration, pascal: string, batch: boolean, ctx: TypeContext): TypeRef | undefined {
  const returnType = method.getReturnTypeNode();
  if (batch) {
    const item = batchResultNode(method, returnType && unwrapPromise(returnType), ctx.reporter);
    if (!item) return undefined;
    return item.getKind() === SyntaxKind.VoidKeyword ? { kind: "void" } : namedRef(item, `${pascal}Result`, ctx);
  }
  if (!returnType) {
    const inferred = method.getReturnType().getText();
    if (inferred === "Promise<void>" || inferred === "void") return { kind: "void" };
    ctx.reporter.error(
      method.getNameNode(),
      `job ${method.getName()} needs a return type`,
      `write \`: Promise<${inferred.replace(/^Promise<(.*)>$/, "$1")}>\``,
    );
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
