/**
 * The Lua scripts of `../scripts/`. Each file is named after its command and its number of KEYS
 * (`fetch-10.lua`); they run by EVALSHA, and by EVAL when the server has not seen them yet (after a
 * restart or failover), which also loads them. Only store/ calls them: one typed function per script
 * there holds its KEYS and ARGV contract.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "./connection.js";

export type ScriptName =
  | "enqueue"
  | "enqueuePlain"
  | "fetch"
  | "complete"
  | "fail"
  | "heartbeat"
  | "reclaimExpired"
  | "watchJob"
  | "cancel"
  | "setPriority"
  | "retryDead"
  | "purgeDead"
  | "advanceSchedule"
  | "promoteJob"
  | "progress";

/**
 * A script file. Its text as Redis runs it, and so its SHA, is made at its first use rather than when
 * this module loads: leaving out what a script never reaches (`inline`) costs a few ms per process
 * for all the scripts, and a producer uses one or two.
 */
class Script {
  private text: string | undefined;
  private hash: string | undefined;

  constructor(
    readonly command: string,
    readonly numberOfKeys: number,
    private readonly source: string,
  ) {}

  get lua(): string {
    return (this.text ??= inline(this.source));
  }

  get sha(): string {
    return (this.hash ??= createHash("sha1").update(this.lua).digest("hex"));
  }
}

const dir = new URL("../scripts/", import.meta.url);
const includes = new URL("../scripts/includes/", import.meta.url);

/**
 * Inlines `-- @include <file>` lines with scripts/includes/<file>: Redis runs one self-contained
 * script, while logic several scripts share (settling dependants) is written once. What a script
 * never reaches of its includes is left out (see `unreached`).
 */
function inline(lua: string): string {
  const candidates: Definition[] = [];
  const text = lua.replace(/^-- @include (\S+)$/gm, (_, file: string) => {
    const source = readFileSync(new URL(file, includes), "utf8");
    candidates.push(...definitions(source));
    return source;
  });
  const unused = unreached(text, candidates);
  return unused.length === 0 ? text : unused.reduce((kept, definition) => kept.replace(definition.text, `-- (${definition.name}: not used here)\n`), text);
}

/** A top-level definition of an include that has no effect but its name: a function, or a constant. */
interface Definition {
  readonly name: string;
  readonly text: string;
}

/**
 * An include's `local function <name>(...)` blocks (to their `end` at the start of a line) and
 * one-line `local <NAME> = <literal>` constants. Their only effect is the local they define, which
 * costs every call of the script all the same: a closure made is 400 to 800 Redis instructions,
 * a table about as much.
 */
function definitions(source: string): Definition[] {
  const found: Definition[] = [];
  for (const match of source.matchAll(/^local function (\w+)\([^]*?\n^end\n/gm)) found.push({ name: match[1], text: match[0] });
  for (const match of source.matchAll(/^local (\w+) = (?:"(?:[^"\\\n]|\\.)*"|-?\d+|nil|\{[^{}\n]*\})\n/gm)) found.push({ name: match[1], text: match[0] });
  return found;
}

/**
 * The definitions nothing reaches: not the script's own code, nor a definition it reaches. Names
 * are looked for outside comments; one that also appears as a field or in a string is kept, which
 * is only a missed saving.
 */
function unreached(text: string, candidates: readonly Definition[]): Definition[] {
  const code = (lua: string) => lua.replace(/--\[\[[^]*?\]\]/g, "").replace(/--.*$/gm, "");
  let reachable = code(candidates.reduce((rest, definition) => rest.replace(definition.text, ""), text));
  const pending = new Set(candidates);
  for (let grew = true; grew;) {
    grew = false;
    for (const definition of pending) {
      if (!new RegExp(`\\b${definition.name}\\b`).test(reachable)) continue;
      pending.delete(definition);
      reachable += code(definition.text);
      grew = true;
    }
  }
  return [...pending];
}

const scripts = new Map<string, Script>(
  readdirSync(dir)
    .filter((file) => file.endsWith(".lua"))
    .map((file) => {
      const match = /^(.+)-(\d+)\.lua$/.exec(file);
      if (!match) throw new Error(`script ${file} must be named <command>-<number of keys>.lua`);
      const name = match[1].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      return [name, new Script(`taskq_${name}`, Number(match[2]), readFileSync(new URL(file, dir), "utf8"))] as const;
    }),
);

/** The text of each script as Redis runs it (its includes inlined, what it never reaches left out), by name. */
export function scriptTexts(): ReadonlyMap<string, string> {
  return new Map([...scripts].map(([name, script]) => [name, script.lua]));
}

function lookup(name: ScriptName): Script {
  const script = scripts.get(name);
  if (!script) throw new Error(`no script ${name}`);
  return script;
}

function define(client: RedisClient, script: Script): void {
  if (typeof (client as unknown as Record<string, unknown>)[script.command] !== "function") {
    client.defineCommand(script.command, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}

/**
 * How a reply's bulk strings come back. "text": as strings (UTF-8). "binary-payloads": as strings,
 * except binary payload envelopes (payload/envelope.ts), which stay Buffers; text would mangle their
 * bytes. The second reads the reply as Buffers and converts, so only queues that write binary
 * payloads use it.
 */
export type ReplyMode = "text" | "binary-payloads";

/** Runs a script; `keys` must have exactly the count its file name declares. */
export function runScript(
  client: RedisClient,
  name: ScriptName,
  keys: readonly string[],
  args: ReadonlyArray<string | number | Buffer>,
  replies: ReplyMode = "text",
): Promise<unknown> {
  const script = lookup(name);
  if (keys.length !== script.numberOfKeys) {
    throw new Error(`script ${name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
  }
  if (replies === "text") return evalScript(client, script, keys, args, false);
  return evalScript(client, script, keys, args, true).then(textExceptEnvelopes);
}

/**
 * EVALSHA, then EVAL on NOSCRIPT. Plain ioredis commands rather than a command made by
 * `defineCommand`, whose per-call wrapping (a closure, a promise for its callback, one for its
 * fallback) cost a sequential producer about 4 µs of CPU per call.
 */
function evalScript(
  client: RedisClient,
  script: Script,
  keys: readonly string[],
  args: ReadonlyArray<string | number | Buffer>,
  buffers: boolean,
): Promise<unknown> {
  const sent = buffers
    ? client.callBuffer("evalsha", script.sha, script.numberOfKeys, ...keys, ...args)
    : client.evalsha(script.sha, script.numberOfKeys, ...keys, ...args);
  return sent.catch((error: unknown) => {
    if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
    return buffers
      ? client.callBuffer("eval", script.lua, script.numberOfKeys, ...keys, ...args)
      : client.eval(script.lua, script.numberOfKeys, ...keys, ...args);
  });
}

/**
 * Buffers → strings, but for binary envelopes, which start with 0x00, and pending entries (a fetch
 * replies with a pending job's data entry whole, store/fetch.ts), which start with 0x01 and may hold
 * an envelope after their fields: no id, name or number starts with either byte.
 */
function textExceptEnvelopes(reply: unknown): unknown {
  if (Array.isArray(reply)) return reply.map(textExceptEnvelopes);
  return Buffer.isBuffer(reply) && reply[0] !== 0x00 && reply[0] !== 0x01 ? reply.toString("utf8") : reply;
}

/** Queues a script on a pipeline (the pipeline's client must have run `defineScripts`). */
export function pipeScript(pipeline: ChainableCommander, name: ScriptName, keys: readonly string[], args: ReadonlyArray<string | number | Buffer>): void {
  const script = lookup(name);
  (pipeline as unknown as Record<string, (...a: unknown[]) => unknown>)[script.command](...keys, ...args);
}

export function defineScripts(client: RedisClient): void {
  for (const script of scripts.values()) define(client, script);
}
