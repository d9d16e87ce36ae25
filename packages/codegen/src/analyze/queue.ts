/** One `@Queue` class → a queue of the manifest with its `@Job` methods in declaration order. */
import { Node, type ClassDeclaration, type Decorator } from "ts-morph";
import type { JobManifest, QueueManifest } from "../manifest.js";
import { readJob } from "./job.js";
import { RESERVED_NAMES } from "./names.js";
import { readQueueDecorator } from "./queue-options.js";
import type { RuntimeImports } from "./runtime-imports.js";
import type { TypeContext } from "./type-registry.js";

export function readQueue(cls: ClassDeclaration, decorator: Decorator, imports: RuntimeImports, ctx: TypeContext, defaultPrefix?: string): QueueManifest | undefined {
  const { reporter } = ctx;
  const before = reporter.diagnostics.length;
  const className = cls.getName();
  const at = cls.getNameNode() ?? cls;
  if (!decorator.isDecoratorFactory()) reporter.error(decorator, "@Queue must be called with a name", 'write @Queue("name")');
  const args = decorator.isDecoratorFactory() ? readQueueDecorator(decorator, reporter, defaultPrefix) : undefined;
  if (!className || !cls.isExported() || cls.isDefaultExport()) {
    reporter.error(at, "a @Queue class must be a named export: the generated worker imports it", "write `export class Name`");
  } else if (RESERVED_NAMES.has(className)) {
    reporter.error(at, `the class name ${className} is used by the generated code`, "rename the class");
  }
  if (args) ctx.names.claimQueue(args.name, at, reporter);
  const jobs = readJobs(cls, imports, ctx);
  if (jobs.length === 0 && reporter.diagnostics.length === before) {
    reporter.error(at, `queue class ${className} has no @Job methods`, "decorate the methods the worker runs with @Job()");
  }
  if (!args || !className || reporter.diagnostics.length > before) return undefined;
  return {
    name: args.name,
    className,
    prefix: args.prefix,
    concurrency: args.concurrency,
    constructibleWithoutArgs: constructibleWithoutArgs(cls),
    jobs,
  };
}

/** The `@Job` decorator of a method, if it has one. */
export function jobDecorator(node: Node, imports: RuntimeImports): Decorator | undefined {
  if (!Node.isMethodDeclaration(node)) return undefined;
  return node.getDecorators().find((decorator) => imports.job.has(decorator.getName()));
}

function readJobs(cls: ClassDeclaration, imports: RuntimeImports, ctx: TypeContext): JobManifest[] {
  const jobs: JobManifest[] = [];
  for (const method of cls.getMethods()) {
    const decorator = jobDecorator(method, imports);
    const job = decorator && readJob(method, decorator, imports, ctx);
    if (job) jobs.push(job);
  }
  return jobs;
}

/** True when every constructor parameter is optional, here or in the nearest base class with a constructor. */
function constructibleWithoutArgs(cls: ClassDeclaration): boolean {
  const constructors = cls.getConstructors();
  if (constructors.length > 0) {
    return constructors.some((c) => c.getParameters().every((p) => p.isOptional() || p.hasInitializer() || p.isRestParameter()));
  }
  const base = cls.getBaseClass();
  return base ? constructibleWithoutArgs(base) : true;
}
