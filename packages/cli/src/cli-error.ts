/** An error the CLI reports as one line on stderr (no stack trace) with its own exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    /** The process exit code. */
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}
