/**
 * `taskq serve`: the REST API, `/metrics` (cluster-wide, read from Redis) and the dashboard at `/`.
 * With `--generated <dir>`, `POST /jobs` enqueues that folder's jobs, validated by their codecs.
 * Tokens come from TASKQ_API_TOKEN (admin) and TASKQ_API_READ_TOKEN (read-only); without either it
 * listens on 127.0.0.1 only.
 */
import type { Command } from "commander";
import { defaultRedisUrl } from "@taskq/runtime";
import { type JobDefinition } from "@taskq/runtime/internal";
import { createApiServer } from "@taskq/runtime/http";
import { CliError } from "../cli-error.js";
import { loadGenerated } from "../generated-dir.js";

interface ServeFlags {
  redis?: string;
  port: string;
  host?: string;
  generated?: string;
  prefix?: string;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the REST API, /metrics and the dashboard")
    .option("--redis <url>", "Redis URL (default: TASKQ_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379)")
    .option("--port <port>", "TCP port (0: any free one)", "4000")
    .option("--host <host>", "interface (default: 127.0.0.1 without a token, 0.0.0.0 with one)")
    .option("--generated <dir>", "a folder written by `taskq generate`, so POST /jobs can enqueue its jobs")
    .option("--prefix <prefix>", "only queues (and --generated jobs) under this key prefix (default: every prefix)")
    .action((flags: ServeFlags) => serve(flags));
}

async function serve(flags: ServeFlags): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port must be a port number, got ${flags.port}`, 2);
  const generated = flags.generated ? await loadGenerated(flags.generated) : undefined;
  const definitions = generated && onlyPrefix(generated.module.definitions, flags.prefix);
  const server = await createApiServer({ connection: flags.redis ?? defaultRedisUrl(), definitions, prefix: flags.prefix });
  let bound: number;
  try {
    bound = await server.listen({ port, host: flags.host });
  } catch (error) {
    // Refused (no token beyond loopback) or the port is taken: close the Redis connection too, so the
    // command ends with its error instead of idling on a connection it will never use.
    await server.close().catch(() => undefined);
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" || code === "EACCES") throw new CliError(`cannot listen on port ${port}: ${(error as Error).message}`, 1);
    if (code === "E_CONFIG") throw new CliError((error as Error).message, 2);
    throw error;
  }
  const address = server.app.server.address();
  const host = typeof address === "object" && address ? address.address : "127.0.0.1";
  // Signal handlers first, then the line a supervisor waits for (see worker.ts).
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  console.log(`taskq serve: http://${host.includes(":") ? `[${host}]` : host}:${bound}/ (dashboard), /openapi.json, /metrics`);
}

/** The job types declared under `prefix` (all of them without one); none there is a usage error. */
function onlyPrefix(definitions: Record<string, JobDefinition<any, any>>, prefix: string | undefined): Record<string, JobDefinition<any, any>> {
  if (prefix === undefined) return definitions;
  const kept = Object.fromEntries(Object.entries(definitions).filter(([, d]) => d.queue.prefix === prefix));
  if (Object.keys(kept).length === 0) throw new CliError(`no job of --generated has the prefix ${prefix}`, 2);
  return kept;
}
