/**
 * An error the CLI reports as one line on stderr (no stack trace; under `--json`, a JSON object with
 * `code` and `message`) with its own exit code: 1 the operation failed, 2 a usage error.
 */
export class CliError extends Error {
  /** A stable code for programs, as the runtime's errors have. (Default: `E_USAGE` for exit code 2, else `E_FAILED`) */
  readonly code: string;

  constructor(
    message: string,
    /** The process exit code. */
    readonly exitCode: number,
    code?: string,
  ) {
    super(message);
    this.name = "CliError";
    this.code = code ?? (exitCode === 2 ? "E_USAGE" : "E_FAILED");
  }
}
