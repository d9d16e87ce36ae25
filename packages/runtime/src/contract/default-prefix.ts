/**
 * The Redis key prefix of a queue that names none. The one place it is written: codegen (through
 * `@taskq/runtime/contract`, which loads nothing else of the runtime), the CLI and every runtime
 * default read it from here.
 */

/** The Redis key prefix of a queue that names none. */
export const DEFAULT_PREFIX = "taskq";
