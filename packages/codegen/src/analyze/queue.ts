/** One `@Queue` class → a queue of the manifest with its `@Job` methods in declaration order. */
import { Node, type ClassDeclaration, type Decorator } from "ts-morph";
import type { JobManifest, QueueManifest } from "../manifest.js";
import { readJob } from "./job.js";
import { RESERVED_NAMES } from "./names.js";
import { readQueueDecorator } from "./queue-options.js";
import type { RuntimeImports } from "./runtime-imports.js";
import type { TypeContext } from "./type-registry.js";

export function readQueue(
  cls: ClassDeclaration,
  decorator: Decorator,
  imports: RuntimeImports,
  ctx: TypeContext,
  defaultPrefix?: string,
): QueueManifest | undefined {
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
  const constructible = constructibleWithoutArgs(cls);
  if (args?.pool) checkPool(cls, decorator, constructible, jobs, reporter);
  if (args?.shards) checkShards(decorator, jobs, reporter);
  if (!args || !className || reporter.diagnostics.length > before) return undefined;
  return {
    name: args.name,
    className,
    prefix: args.prefix,
    concurrency: args.concurrency,
    ...(args.priorities === undefined ? {} : { priorities: args.priorities }),
    ...(args.pool === undefined ? {} : { pool: args.pool }),
    ...(args.shards === undefined ? {} : { shards: args.shards }),
    ...(args.serializer === undefined ? {} : { serializer: args.serializer }),
    ...(args.compressAboveBytes === undefined ? {} : { compressAboveBytes: args.compressAboveBytes }),
    constructibleWithoutArgs: constructible,
    jobs,
  };
}

/**
 * Each pool thread makes its own instance with `new Class()`: nothing can be handed across threads.
 * A batch job cannot run there: the pool gives its threads one payload and a JobContext per call.
 */
function checkPool(cls: ClassDeclaration, decorator: Decorator, constructible: boolean, jobs: JobManifest[], reporter: TypeContext["reporter"]): void {
  const at = poolOption(decorator) ?? decorator;
  if (!constructible) {
    reporter.error(
      at,
      `queue class ${cls.getName()} needs constructor arguments, so a thread pool cannot make it`,
      'give every constructor parameter a default (each thread runs `new Class()`), or remove pool: "threads"',
    );
  }
  for (const job of jobs.filter((j) => j.options.batch)) {
    reporter.error(
      at,
      `batch job ${job.name} cannot run in a thread pool`,
      `move ${job.method} to a queue without pool: "threads", or remove its batch option`,
    );
  }
}

/**
 * Each shard counts a rate limit on its own (its keys live in its own slot), so a sharded queue
 * would let `shards` times the limit through: refused rather than quietly multiplied.
 */
function checkShards(decorator: Decorator, jobs: JobManifest[], reporter: TypeContext["reporter"]): void {
  const at = queueOption(decorator, "shards") ?? decorator;
  for (const job of jobs.filter((j) => j.options.rateLimit)) {
    reporter.error(
      at,
      `job ${job.name} has a rateLimit, which a sharded queue cannot keep: each shard would count on its own`,
      `move ${job.method} to a queue without shards, or remove its rateLimit`,
    );
  }
}

/** A property of the options literal, where a problem with it is reported. */
function queueOption(decorator: Decorator, name: string): Node | undefined {
  const options = decorator.getArguments()[1];
  return options && Node.isObjectLiteralExpression(options) ? options.getProperty(name) : undefined;
}

/** The `pool` property of the options literal, where a pool problem is reported. */
function poolOption(decorator: Decorator): Node | undefined {
  const options = decorator.getArguments()[1];
  return options && Node.isObjectLiteralExpression(options) ? options.getProperty("pool") : undefined;
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
    const read = () => readJob(method, decorator!, imports, ctx);
    const job = decorator && (ctx.memo ? ctx.memo.read(method, ctx, read) : read());
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
