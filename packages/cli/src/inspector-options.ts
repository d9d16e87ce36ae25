/**
 * The options every inspecting command shares (`--redis`, `--prefix`, `--json`) and the
 * QueueInspector they open; each command closes it when done, so the process exits on its own.
 */
import type { Command } from "commander";
import { defaultRedisUrl, refusalOf } from "@taskq/runtime";
import { maskCredentials } from "@taskq/runtime/admin";
import { QueueInspector } from "@taskq/runtime/admin";
import { CliError } from "./cli-error.js";

export interface InspectFlags {
  redis?: string;
  prefix?: string;
  json?: boolean;
}

/** Adds `--redis`, `--prefix` and `--json` to a command. */
export function inspectOptions(command: Command): Command {
  return command
    .option("--redis <url>", "Redis URL (default: TASKQ_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379)")
    .option("--prefix <prefix>", "only queues under this key prefix (default: every prefix)")
    .option("--json", "print JSON instead of a table");
}

/** Runs `body` with an inspector, closing it after, even on error. */
export async function withInspector<T>(flags: InspectFlags, body: (inspector: QueueInspector) => Promise<T>): Promise<T> {
  // Fail fast when Redis does not answer, instead of retrying forever.
  const url = flags.redis ?? defaultRedisUrl();
  // The runtime parses the URL (user, password, TLS, database: checked, honoured or refused).
  let inspector: QueueInspector;
  try {
    inspector = new QueueInspector({ connection: { url, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 3_000 }, prefix: flags.prefix });
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  try {
    return await body(inspector);
  } catch (error) {
    const refusal = refusalOf(inspector.redis);
    if (refusal) throw new CliError(`${refusal.message} (at ${maskCredentials(url)})`, 1);
    // A refused option (a limit, a cursor, a name): a usage error.
    if ((error as { code?: string }).code === "E_CONFIG") throw new CliError((error as Error).message, 2);
    const message = (error as Error).message ?? "";
    if (/Connection is closed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(message)) {
      throw new CliError(`Redis does not answer at ${maskCredentials(url)} (${message}); pass --redis <url>`, 1, "E_REDIS_UNAVAILABLE");
    }
    throw error;
  } finally {
    await inspector.close();
  }
}
