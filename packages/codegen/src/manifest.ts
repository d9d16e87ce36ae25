/**
 * The manifest: the one seam between reading jobs.ts (analyze) and writing code (emit). A plain,
 * JSON-serializable description of queues, jobs and payload/result types. Templates see only this.
 * Key order is fixed by the analyzer so the same jobs.ts always gives the same bytes.
 */

/** Same values as the runtime's `PRIORITIES`; kept here so the manifest stands on its own. */
export const PRIORITIES = ["critical", "high", "normal", "low", "batch"] as const;
export type Priority = (typeof PRIORITIES)[number];

export type Backoff =
  | { type: "exponential"; delayMs: number; maxDelayMs?: number; jitter?: boolean }
  | { type: "fixed"; delayMs: number }
  /** `name`: a function exported from jobs.ts, `(attempt: number, error: unknown) => number`. */
  | { type: "custom"; name: string };

export interface RateLimit {
  perSecond?: number;
  perMinute?: number;
  perHour?: number;
  perDay?: number;
  minIntervalMs?: number;
  groupBy?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Manifest {
  manifestVersion: 1;
  /** The entry file, relative to the output folder, with `/` separators. */
  source: string;
  queues: QueueManifest[];
  /** Named types, dependencies before dependents, otherwise in the order they were met. */
  types: Record<string, NamedType>;
}

export interface QueueManifest {
  name: string;
  /** The `@Queue` class in the entry file. */
  className: string;
  prefix: string;
  concurrency: number;
  /** "strict", or the five weights from critical to batch. (Default: the runtime's weights) */
  priorities?: "strict" | number[];
  /** "threads": handlers run in `concurrency` worker threads, through the generated `<queue>.threads.ts`. */
  pool?: "threads";
  /** Hash-tagged key sets the queue is split into, so it can span Redis Cluster masters; absent for 1. */
  shards?: number;
  /** How payloads are stored: "json" or "msgpack". (Default: the runtime's, JSON) */
  serializer?: "json" | "msgpack";
  /** Payloads serialized larger than this many bytes are compressed. (Default: never) */
  compressAboveBytes?: number;
  /** True when `new Class()` type-checks, so the worker can make one itself. */
  constructibleWithoutArgs: boolean;
  jobs: JobManifest[];
}

export interface JobManifest {
  name: string;
  method: string;
  /** The method's TSDoc, carried onto the generated enqueue and schedule functions. */
  doc?: string;
  /** True when the method takes a second parameter: `JobContext`, or `BatchContext` for a batch job. */
  usesContext: boolean;
  options: JobOptionsManifest;
  payload: TypeRef;
  result: TypeRef;
  /** With `version` > 1: one upgrade per older version, oldest first (`upgradeTweetV1`, …). */
  upgrades?: UpgradeManifest[];
}

/** `export function upgradeTweetV1(p: TweetV1): TweetV2` in jobs.ts: version `fromVersion` → the next. */
export interface UpgradeManifest {
  fromVersion: number;
  /** The exported function's name. */
  function: string;
  /** The payload type of `fromVersion`: the function's parameter type. */
  payload: TypeRef;
}

/** `@Job` options with every default filled in. */
export interface JobOptionsManifest {
  priority: Priority;
  attempts: number;
  backoff: Backoff;
  timeoutMs?: number;
  keepResultMs: number;
  version: number;
  rateLimit?: RateLimit;
  unique?: { by: string; ttlMs?: number };
  /** The method takes `payload[]` and returns one result or Error per payload. */
  batch?: { size: number; waitMs: number };
}

/** A payload or result: a named type, or `void` (results only). */
export type TypeRef = { kind: "ref"; name: string } | { kind: "void" };

/**
 * `JSON.stringify(named)`, kept with the object: named types are never changed once made, and
 * `--watch` compares the same ones run after run (the memo's replays, the lock's payload shapes).
 */
export function namedTypeJson(named: NamedType): string {
  let json = namedJson.get(named);
  if (json === undefined) {
    json = JSON.stringify(named);
    namedJson.set(named, json);
  }
  return json;
}

const namedJson = new WeakMap<NamedType, string>();

export interface NamedType {
  doc?: string;
  /**
   * Set on recursive types: the named types of its cycle (itself included), in manifest order. Their
   * schema is one `Type.Cyclic` whose members refer to each other by name.
   */
  cycle?: string[];
  type: TypeNode;
}

export interface StringConstraints {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: StringFormat;
}

export interface NumberConstraints {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

export interface ArrayConstraints {
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export const STRING_FORMATS = ["email", "uri", "uuid", "date-time", "date"] as const;
export type StringFormat = (typeof STRING_FORMATS)[number];

/** `default` is the `@default` tag's value, when there is one. */
interface WithDefault {
  default?: JsonValue;
}

export type TypeNode =
  | ({ kind: "string" } & StringConstraints & WithDefault)
  | ({ kind: "number" } & NumberConstraints & WithDefault)
  | ({ kind: "integer" } & NumberConstraints & WithDefault)
  | ({ kind: "boolean" } & WithDefault)
  | { kind: "null" }
  | ({ kind: "literal"; value: string | number | boolean } & WithDefault)
  | ({ kind: "array"; items: TypeNode; readonly?: true } & ArrayConstraints & WithDefault)
  | { kind: "tuple"; items: TypeNode[]; readonly?: true }
  /** `Record<string, T>` or `{ [key: string]: T }`. */
  | { kind: "record"; values: TypeNode }
  | { kind: "object"; properties: PropertyNode[] }
  | ({ kind: "union"; members: TypeNode[] } & WithDefault)
  /** A `Date`: an ISO 8601 date-time string on the wire, a `Date` in code. */
  | { kind: "date" }
  | { kind: "ref"; name: string };

export interface PropertyNode {
  name: string;
  optional: boolean;
  readonly?: true;
  doc?: string;
  type: TypeNode;
}
