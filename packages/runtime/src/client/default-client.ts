import type { ClientOptions } from "./client.js";

/**
 * The default client behind a generated module's top-level functions (`enqueueTweet()` without a
 * client of one's own): made on first use from `configure()`'s options, else the environment
 * (`TASKQ_REDIS_URL`, then `REDIS_URL`). Generated code holds one per module instead of repeating this.
 *
 * @internal Exported for the generated client module, not for applications: they call its
 * `configure()` and `closeDefaultClient()`.
 * @typeParam C - The generated client class.
 * @internal For generated code, from `@taskq/runtime/internal`.
 */
export class DefaultClient<
  C extends {
    /** Closes the client's connections. */
    close(): Promise<void>;
  },
> {
  private options: ClientOptions | undefined;
  private client: C | undefined;

  /** `make` builds the client from the configured options, on first use. */
  constructor(private readonly make: (options?: ClientOptions) => C) {}

  /** Sets the options of the default client; one already made is closed, so the next call reconnects. */
  configure(options: ClientOptions): void {
    const previous = this.client;
    this.client = undefined;
    this.options = options;
    // configure() is synchronous; a failure to close a client no one can reach any more is not actionable.
    previous?.close().catch(() => undefined);
  }

  /** The default client, made on first use. */
  get(): C {
    this.client ??= this.make(this.options);
    return this.client;
  }

  /** Closes the default client, if one was made; the next call makes a new one. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }
}
