/**
 * `@Job(options?)`: every option checked and every default filled in, in a fixed key order so the
 * manifest does not depend on the order the user wrote them in.
 */
import {
  BACKOFF_TYPES,
  DEFAULT_BACKOFF_DELAY_MS,
  DEFAULT_JOB_OPTIONS as CONTRACT_DEFAULTS,
  JOB_OPTION_KEYS,
  MAX_ATTEMPTS,
  MAX_TIMEOUT_MS,
  PRIORITIES,
  RATE_LIMIT_KEYS,
} from "@taskq/runtime/contract";
import type { Backoff, JobOptionsManifest, RateLimit } from "../manifest.js";
import type { Literal } from "./literal.js";
import { NAME_PATTERN } from "./names.js";
import { booleanField, numberField, objectEntries, oneOfField, stringField, type Entries } from "./option-fields.js";
import type { Reporter } from "./reporter.js";

/** The runtime's defaults (the contract's), as a manifest holds them: a plain copy, key order fixed. */
export const DEFAULT_JOB_OPTIONS: JobOptionsManifest = {
  priority: CONTRACT_DEFAULTS.priority,
  attempts: CONTRACT_DEFAULTS.attempts,
  backoff: { ...CONTRACT_DEFAULTS.backoff },
  keepResultMs: CONTRACT_DEFAULTS.keepResultMs,
  version: CONTRACT_DEFAULTS.version,
};

export interface JobDecoratorArgs {
  /** `options.name`, when given. */
  name?: string;
  options: JobOptionsManifest;
}

/** Reads the options literal (undefined when `@Job()` has none); undefined result = reported errors. */
export function readJobOptions(literal: Literal | undefined, reporter: Reporter): JobDecoratorArgs | undefined {
  if (literal === undefined) return { options: { ...DEFAULT_JOB_OPTIONS } };
  const entries = objectEntries(literal, "@Job options", JOB_OPTION_KEYS, reporter);
  if (!entries) return undefined;
  const before = reporter.diagnostics.length;
  const get = (key: string) => entries.get(key)?.value;
  const count = (key: string, min: number, max?: number) => {
    const value = get(key);
    return value && numberField(value, key, { integer: true, min, max }, reporter);
  };
  const name = get("name") && stringField(get("name")!, "job name", reporter, NAME_PATTERN);
  const priority = get("priority") && oneOfField(get("priority")!, "priority", PRIORITIES, reporter);
  const backoff = get("backoff") && readBackoff(get("backoff")!, reporter);
  const rateLimit = get("rateLimit") && readRateLimit(get("rateLimit")!, reporter);
  const unique = get("unique") && readUnique(get("unique")!, reporter);
  const batch = get("batch") && readBatch(get("batch")!, reporter);
  const timeoutMs = count("timeoutMs", 1, MAX_TIMEOUT_MS);
  const options: JobOptionsManifest = {
    priority: priority ?? DEFAULT_JOB_OPTIONS.priority,
    attempts: count("attempts", 1, MAX_ATTEMPTS) ?? DEFAULT_JOB_OPTIONS.attempts,
    backoff: backoff ?? DEFAULT_JOB_OPTIONS.backoff,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    keepResultMs: count("keepResultMs", 0) ?? DEFAULT_JOB_OPTIONS.keepResultMs,
    version: count("version", 1) ?? DEFAULT_JOB_OPTIONS.version,
    ...(rateLimit ? { rateLimit } : {}),
    ...(unique ? { unique } : {}),
    ...(batch ? { batch } : {}),
  };
  if (reporter.diagnostics.length > before) return undefined;
  return name === undefined ? { options } : { name, options };
}

function readBackoff(literal: Literal, reporter: Reporter): Backoff | undefined {
  const entries = objectEntries(literal, "backoff", ["type", "delayMs", "maxDelayMs", "jitter", "name"], reporter);
  const type = entries?.get("type");
  if (!entries || !type) {
    if (entries) reporter.error(literal.node, "backoff needs a type", 'write { type: "exponential", delayMs: 60_000 }');
    return undefined;
  }
  const kind = oneOfField(type.value, "backoff type", BACKOFF_TYPES, reporter);
  if (kind === "custom") return readCustomBackoff(literal, entries, reporter);
  const name = entries.get("name");
  if (name) reporter.error(name.key, "name applies to custom backoff only", 'remove name, or use type: "custom"');
  const delay = entries.get("delayMs");
  const delayMs = delay ? numberField(delay.value, "delayMs", { integer: true, min: 0 }, reporter) : DEFAULT_BACKOFF_DELAY_MS;
  if (kind === undefined || delayMs === undefined) return undefined;
  if (kind === "fixed") {
    for (const key of ["maxDelayMs", "jitter"]) {
      const entry = entries.get(key);
      if (entry) reporter.error(entry.key, `${key} applies to exponential backoff only`, `remove ${key}, or use type: "exponential"`);
    }
    return { type: "fixed", delayMs };
  }
  const backoff: Backoff = { type: "exponential", delayMs };
  const max = entries.get("maxDelayMs");
  const maxDelayMs = max && numberField(max.value, "maxDelayMs", { integer: true, min: delayMs }, reporter);
  if (maxDelayMs !== undefined) backoff.maxDelayMs = maxDelayMs;
  const jitter = entries.get("jitter") && booleanField(entries.get("jitter")!.value, "jitter", reporter);
  if (jitter !== undefined) backoff.jitter = jitter;
  return backoff;
}

function readRateLimit(literal: Literal, reporter: Reporter): RateLimit | undefined {
  const entries = objectEntries(literal, "rateLimit", RATE_LIMIT_KEYS, reporter);
  if (!entries) return undefined;
  const rateLimit: Record<string, number | string> = {};
  for (const key of RATE_LIMIT_KEYS) {
    const entry = entries.get(key);
    if (!entry) continue;
    const value =
      key === "groupBy"
        ? stringField(entry.value, "rateLimit.groupBy", reporter)
        : numberField(entry.value, `rateLimit.${key}`, { integer: true, min: 1 }, reporter);
    if (value !== undefined) rateLimit[key] = value;
  }
  return rateLimit;
}

function readUnique(literal: Literal, reporter: Reporter): JobOptionsManifest["unique"] {
  const entries = objectEntries(literal, "unique", ["by", "ttlMs"], reporter);
  const by = entries?.get("by");
  if (!entries || !by) {
    if (entries) reporter.error(literal.node, 'unique needs `by`: "payload" or a field path', 'write unique: { by: "payload" }');
    return undefined;
  }
  const path = stringField(by.value, "unique.by", reporter);
  const ttl = entries.get("ttlMs");
  const ttlMs = ttl && numberField(ttl.value, "unique.ttlMs", { integer: true, min: 1 }, reporter);
  if (path === undefined) return undefined;
  return ttlMs === undefined ? { by: path } : { by: path, ttlMs };
}

/** `{ type: "custom", name }`: the function itself is checked against jobs.ts by `custom-backoff.ts`. */
function readCustomBackoff(literal: Literal, entries: Entries, reporter: Reporter): Backoff | undefined {
  for (const key of ["delayMs", "maxDelayMs", "jitter"]) {
    const entry = entries.get(key);
    if (entry) reporter.error(entry.key, `${key} does not apply to custom backoff: the function computes the delay`, `remove ${key}`);
  }
  const name = entries.get("name");
  if (!name) {
    reporter.error(literal.node, "custom backoff needs the name of a function exported from jobs.ts", 'write { type: "custom", name: "myBackoff" }');
    return undefined;
  }
  const value = stringField(name.value, "backoff name", reporter);
  return value === undefined ? undefined : { type: "custom", name: value };
}

function readBatch(literal: Literal, reporter: Reporter): JobOptionsManifest["batch"] {
  const entries = objectEntries(literal, "batch", ["size", "waitMs"], reporter);
  if (!entries) return undefined;
  const size = entries.get("size");
  const wait = entries.get("waitMs");
  if (!size || !wait) {
    reporter.error(literal.node, "batch needs size and waitMs", "write batch: { size: 100, waitMs: 50 }");
    return undefined;
  }
  const sizeValue = numberField(size.value, "batch.size", { integer: true, min: 1 }, reporter);
  const waitMs = numberField(wait.value, "batch.waitMs", { integer: true, min: 0 }, reporter);
  return sizeValue === undefined || waitMs === undefined ? undefined : { size: sizeValue, waitMs };
}
