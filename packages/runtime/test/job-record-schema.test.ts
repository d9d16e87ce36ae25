import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JOB_RECORD_FIELDS, JOB_STATES, decodeJobFields, decodeJobRecord, DEAD_JOB_FIELDS, SUMMARY_FIELDS } from "../src/store/index.js";

const SRC = new URL("../src/", import.meta.url);
const SCRIPTS = new URL("scripts/", SRC);

/** Every Lua file of the runtime, includes too, as [name, text]. */
function scripts(): Array<[string, string]> {
  const files = readdirSync(SCRIPTS, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".lua"));
  return files.map((file) => [file, readFileSync(new URL(file, SCRIPTS), "utf8")]);
}

/** Hashes the scripts use that are not job records, by the key expression they are called with. */
const OTHER_HASHES = new Set([
  'ARGV[1] .. "data"',
  'base .. "data"',
  'ARGV[2] .. "data"',
  "dataKey",
  "k.fair",
  "clockKey",
  "historyKey",
  // The queue's leases (includes/lease.lua): field = job id.
  "k.leases",
  "leasesKey",
  'ARGV[1] .. "leases"',
  'ARGV[2] .. "leases"',
]);
/** Scripts whose KEYS include hashes that are not job records: advance-schedule-3.lua works on the
 * schedules hashes alone (KEYS[1], KEYS[3]); enqueue-plain-4.lua's KEYS[2] is `data`; the others'
 * are `leases`. */
const OTHER_HASH_KEYS: Record<string, RegExp> = {
  "advance-schedule-3.lua": /^KEYS\[[13]\]$/,
  "enqueue-plain-4.lua": /^KEYS\[2\]$/,
  "fail-11.lua": /^KEYS\[11\]$/,
  "heartbeat-4.lua": /^KEYS\[4\]$/,
  "reclaim-expired-12.lua": /^KEYS\[12\]$/,
};
/** Field arguments that are not literals, and where the fields they spread are checked instead:
 * enqueue-8.lua's `fields` table, the `args` tables of fetch-jobs.lua, and pending-job.lua's
 * `args[n + i] = "<code>"` (all read below). */
const SPREAD_FIELDS = new Set([
  "unpack(fields, 1, n)",
  "unpack(args, 1, n)",
  "unpack(args, 1, pendingRecordArgs(pf, args, 4))",
  "unpack(args, 1, pendingRecordArgs(pf, args, 10))",
]);

/** Commands whose every argument after the key is a field, and those that alternate field, value. */
const FIELD_LIST = new Set(["HGET", "HMGET", "HDEL", "HEXISTS", "HSTRLEN"]);
const FIELD_VALUE = new Set(["HSET", "HSETNX", "HINCRBY", "HINCRBYFLOAT"]);

/** The arguments of the call whose "(" is at `open`, split at top-level commas. */
function callArgs(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote = "";
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return args;
      }
    } else if (c === "," && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error(`unclosed call at ${open}`);
}

const literal = (arg: string): string | undefined => /^"([^"]*)"$/.exec(arg)?.[1];

interface RecordUse {
  /** Field codes read or written. */
  fields: string[];
  /** States written to `s`. */
  states: string[];
  /** What the check cannot read: a fail, naming file and call. */
  unreadable: string[];
}

/** The job record fields and states one script uses, and anything it cannot tell. */
function recordUse(file: string, lua: string): RecordUse {
  const use: RecordUse = { fields: [], states: [], unreadable: [] };
  for (const match of lua.matchAll(/redis\.p?call\(\s*"(H[A-Z]+)"/g)) {
    const [command, key, ...rest] = callArgs(lua, match.index + match[0].indexOf("("));
    const name = literal(command)!;
    if (OTHER_HASHES.has(key) || OTHER_HASH_KEYS[file]?.test(key)) continue;
    const fieldArgs = FIELD_LIST.has(name) ? rest : FIELD_VALUE.has(name) ? rest.filter((_, i) => i % 2 === 0) : undefined;
    if (!fieldArgs) {
      use.unreadable.push(`${file}: ${name} on ${key} (a command this check does not know)`);
      continue;
    }
    fieldArgs.forEach((arg, i) => {
      const code = literal(arg);
      if (code === undefined) {
        if (!SPREAD_FIELDS.has(arg)) use.unreadable.push(`${file}: ${name} on ${key} with field ${arg}`);
        return;
      }
      use.fields.push(code);
      if (code === "s" && FIELD_VALUE.has(name)) {
        const state = literal(rest[rest.indexOf(arg, i * 2) + 1] ?? "");
        if (state === undefined) use.unreadable.push(`${file}: ${name} writes a state that is not a literal`);
        else use.states.push(state);
      }
    });
  }
  // enqueue-8.lua builds one record's fields in a table (its first entries, then field(name, value)),
  // fetch-jobs.lua a pending job's record in `args` tables, pending-job.lua with args[n + i] = "<code>".
  for (const table of lua.matchAll(/local (?:fields|args) = \{([^}]+)\}/g)) {
    const entries = callArgs(`(${table[1]})`, 0);
    entries.forEach((entry, i) => {
      if (i % 2 !== 0) return;
      const code = literal(entry) ?? `<${entry}>`;
      use.fields.push(code);
      if (code === "s") use.states.push(literal(entries[i + 1] ?? "") ?? `<${entries[i + 1]}>`);
    });
  }
  for (const match of lua.matchAll(/\bargs\[n \+ (\d+)\] = ("[^"]*")/g)) if (Number(match[1]) % 2 === 1) use.fields.push(literal(match[2])!);
  for (const match of lua.matchAll(/\bfield\(([^,]+), ([^)]+)\)/g)) {
    const code = literal(match[1].trim());
    if (code === undefined) {
      if (match[1].trim() !== "name") use.unreadable.push(`${file}: field(${match[1]}, …)`);
      continue;
    }
    use.fields.push(code);
    if (code === "s") use.states.push(literal(match[2].trim()) ?? `<${match[2]}>`);
  }
  return use;
}

const allUse = scripts().map(([file, lua]) => [file, recordUse(file, lua)] as const);

describe("the job record schema", () => {
  it("names every record field a script reads or writes", () => {
    const named = new Set(Object.keys(JOB_RECORD_FIELDS));
    for (const [file, use] of allUse) {
      for (const code of use.fields) expect(named.has(code), `${file} uses record field "${code}", which store/job-record-schema.ts does not name`).toBe(true);
    }
  });

  it("names every state a script writes", () => {
    for (const [file, use] of allUse) {
      for (const state of use.states) expect(JOB_STATES as readonly string[], `${file} writes state "${state}"`).toContain(state);
    }
  });

  it("reads every script's record calls: none uses a field or state it cannot tell", () => {
    expect(allUse.flatMap(([, use]) => use.unreadable)).toEqual([]);
  });

  it("finds the uses it is there to check (so a broken parser cannot pass by finding nothing)", () => {
    const used = new Set(allUse.flatMap(([, use]) => use.fields));
    // Written by enqueue alone, by the fetch, by watch-job, by on-job-ended's HINCRBY.
    for (const code of ["n", "ct", "v", "t", "g", "u", "dp", "pd", "da", "w", "st", "wt", "ch", "e", "r", "d"]) expect(used, code).toContain(code);
    const states = new Set(allUse.flatMap(([, use]) => use.states));
    // "waiting" is also the state of a new record, which leaves the field out; the rest are written.
    expect([...states].sort()).toEqual([...JOB_STATES].sort());
  });

  it("catches a script that uses a field the schema does not name, or writes an unknown state", () => {
    const use = recordUse("made-up.lua", 'redis.call("HSET", key, "s", "paused", "zz", 1)\nredis.call("HMGET", key, "n", "qq")\nfield("yy", 1)');
    expect(use.fields).toEqual(["s", "zz", "n", "qq", "yy"]);
    expect(use.states).toEqual(["paused"]);
    expect(recordUse("made-up.lua", 'redis.call("HSET", key, "s", state)').unreadable).toHaveLength(1);
    expect(recordUse("made-up.lua", 'redis.call("HSET", key, name, 1)').unreadable).toHaveLength(1);
  });

  it("is the only runtime code that runs a script", () => {
    const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter(
      (file) => file.endsWith(".ts") && !file.startsWith("store/") && file !== "redis/scripts.ts",
    );
    const callers = files.filter((file) => /from "[./]*\/?redis\/scripts\.js"|from "\.\/scripts\.js"/.test(readFileSync(new URL(file, SRC), "utf8")));
    expect(callers).toEqual([]);
  });

  it("is the only runtime code that names a record field: nothing else reads or writes one by its code", () => {
    const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts") && !file.startsWith("store/"));
    const naming = files.filter((file) => /\.h[a-z]+\(\s*[\w.]+\.job\([^)]*\)\s*,\s*["'`]/.test(readFileSync(new URL(file, SRC), "utf8")));
    expect(naming).toEqual([]);
  });
});

describe("decodeJobRecord", () => {
  it("decodes every field by its kind, the legacy payload field and the handler's progress and log flag included", () => {
    const record = decodeJobRecord({
      n: "tweet",
      s: "active",
      p: "1",
      a: "2",
      m: "5",
      ct: "1000",
      st: "2000",
      da: "3000",
      fin: "4000",
      dp: "ignore",
      pd: "0",
      ch: "1",
      u: "tweet:abc",
      g: "acct-1",
      t: "9000",
      v: "3",
      e: '{"message":"boom"}',
      l: "t1.1",
      w: "w-1",
      r: '{"ok":true}',
      pg: '{"done":50}',
      lg: "1",
      d: '{"content":"old"}',
      wt: "1",
    });
    expect(record).toEqual({
      name: "tweet",
      state: "active",
      priority: 1,
      attempts: 2,
      maxAttempts: 5,
      createdAt: new Date(1000),
      startedAt: new Date(2000),
      dueAt: new Date(3000),
      finishedAt: new Date(4000),
      parentFailurePolicy: "ignore",
      pendingParents: 0,
      hasChildren: true,
      uniqueKey: "tweet:abc",
      rateLimitGroup: "acct-1",
      timeoutMs: 9000,
      version: 3,
      lastError: { message: "boom" },
      leaseToken: "t1.1",
      workerId: "w-1",
      result: { ok: true },
      progress: { done: 50 },
      hasLogs: true,
      payload: '{"content":"old"}',
      watched: true,
    });
  });

  it("reads a record without a state as waiting, and leaves out what it cannot read rather than throwing", () => {
    expect(decodeJobRecord({ n: "tweet", ct: "1000" })).toEqual({ name: "tweet", state: "waiting", createdAt: new Date(1000) });
    expect(decodeJobRecord({ n: "tweet", s: "hacked", a: "lots", ct: "soon", r: "not json" })).toEqual({ name: "tweet", result: "not json" });
    expect(decodeJobRecord({ s: "waiting" })).toBeUndefined();
    expect(decodeJobRecord({})).toBeUndefined();
  });

  it("decodes HMGET replies by the codes asked for; a state not asked for is not taken for waiting", () => {
    const values = ["tweet", null, "3", "7000"];
    expect(decodeJobFields(DEAD_JOB_FIELDS, values)).toEqual({ name: "tweet", attempts: 3, createdAt: new Date(7000) });
    expect(decodeJobFields(SUMMARY_FIELDS, ["tweet", null])).toEqual({ name: "tweet", state: "waiting" });
    expect(decodeJobFields(DEAD_JOB_FIELDS, [null, null, null, null])).toBeUndefined();
  });
});
