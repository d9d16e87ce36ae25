/**
 * The jobs.ts markers. They do nothing at run time: `taskq generate` reads them statically, so their
 * arguments must be literals. Their signatures accept both decorator modes: TypeScript's
 * `experimentalDecorators` (target, key, descriptor) and TC39 standard decorators (value, context).
 */
import type { JobOptions, QueueOptions } from "./options.js";

/** Any class, abstract or not, whatever its constructor takes. */
type AnyClass = abstract new (...args: any[]) => unknown;

/** Declares a class whose `@Job` methods share one Redis queue and one worker pool. */
export function Queue(name: string, options?: QueueOptions) {
  void name;
  void options;
  return function <T extends AnyClass>(target: T, _context?: unknown): T | void {
    return target;
  };
}

/** Declares a method as a job type; its first parameter's type is the payload. */
export function Job(options?: JobOptions) {
  void options;
  return function (_target: unknown, _context: unknown, descriptor?: PropertyDescriptor): any {
    return descriptor;
  };
}
