/**
 * The Redis key prefix of a queue that names none. The one place it is written: codegen, the CLI and
 * every runtime default read it from here. A module of its own, with no imports, so codegen reads it
 * (as `@taskq/runtime/default-prefix`) without loading the runtime.
 *
 * @module @taskq/runtime/default-prefix
 */

/** The Redis key prefix of a queue that names none. */
export const DEFAULT_PREFIX = "taskq";
