/**
 * Redis URLs as taskq shows and checks them. A URL may carry a password (`redis://user:pw@host`), and
 * URLs end up in messages, logs and `/health`: every one printed goes through `maskCredentials`.
 * The database of a URL (`/3`) is honoured: a path that is not a database number is refused before
 * connecting, and a number the server refuses (`ERR DB index is out of range`) closes the connection
 * before any command runs, instead of ioredis's default of carrying on in database 0.
 */
import type { Redis } from "ioredis";
import { ConfigError } from "../errors.js";

/** `scheme://user:password@` → `scheme://***@`: what can be printed of a URL, in any text. */
export function maskCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@");
}

/** Refuses a URL whose path is not a database number (`/abc`, `/1.5`, `/-1`). */
export function assertUrlDatabase(url: string): void {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new ConfigError(`invalid Redis URL ${JSON.stringify(maskCredentials(url).slice(0, 200))}: expected redis://[user:password@]host[:port][/db]`);
  }
  if (path !== "" && path !== "/" && !/^\/\d{1,5}$/.test(path)) {
    throw new ConfigError(
      `invalid database ${JSON.stringify(path.slice(0, 40))} in Redis URL ${maskCredentials(url)}: the path must be a database number (e.g. /0)`,
    );
  }
}

const refused = new WeakMap<object, Error>();

/**
 * Closes `client` when the server refuses its database, so nothing is written to database 0 instead;
 * `refusalOf(client)` says why afterwards. ioredis sends SELECT before any queued command, so the
 * refusal arrives before the first of them is sent.
 */
export function closeOnRefusedDatabase(client: Redis): void {
  client.on("error", (error: Error & { command?: { name?: string; args?: unknown[] } }) => {
    if (error.command?.name !== "select") return;
    refused.set(
      client,
      new ConfigError(
        `Redis refused database ${String(error.command.args?.[0])} (${error.message}): use a database the server has (see its "databases" setting)`,
      ),
    );
    client.disconnect();
  });
}

/** Why taskq closed this client, when the server refused its database. */
export function refusalOf(client: object): Error | undefined {
  return refused.get(client);
}
