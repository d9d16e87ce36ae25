// The manifest (see `Manifest`): the one seam between reading jobs.ts and writing code.

import type { Backoff, DefaultedJobOption, JobOptions, Priority, QueueOptions, RateLimit } from "@taskq/runtime/contract";

// The option types are the runtime's own (its jobs.ts contract): a priority, backoff kind or rate-limit
// window added there is one here, and DEFAULT_JOB_OPTIONS fills in the same defaults.
export { PRIORITIES } from "@taskq/runtime/contract";
export type { Backoff, Priority, RateLimit };

/** A value JSON can hold: what `@default` tags and literal defaults are stored as. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The manifest: the one seam between reading jobs.ts ({@link analyze}) and writing code ({@link emit}).
 * A plain, JSON-serializable description of queues, jobs and payload/result types; templates see only
 * this. Key order is fixed by the analyzer so the same jobs.ts always gives the same bytes.
 */
export interface Manifest {
  /** The manifest format's version, for readers of a stored manifest. */
  manifestVersion: 1;
  /** The entry file, relative to the output folder, with `/` separators. */
  source: string;
  /** The `@Queue` classes, in the order of the entry file. */
  queues: QueueManifest[];
  /** Named types, dependencies before dependents, otherwise in the order they were met. */
  types: Record<string, NamedType>;
}

/** One `@Queue` class, its options with every default filled in. */
export interface QueueManifest {
  /** The queue's name, as `@Queue(name)` gives it. */
  name: string;
  /** The `@Queue` class in the entry file. */
  className: string;
  /** Redis key prefix. */
  prefix: string;
  /** Jobs of this queue run at once per worker process. */
  concurrency: number;
  /** "strict", or the five weights from critical to batch. (Default: the runtime's weights) */
  priorities?: "strict" | number[];
  /** "threads": handlers run in `concurrency` worker threads, through the generated `<queue>.threads.ts`. */
  pool?: QueueOptions["pool"];
  /** Hash-tagged key sets the queue is split into, so it can span Redis Cluster masters; absent for 1. */
  shards?: number;
  /** How payloads are stored: "json" or "msgpack". (Default: the runtime's, JSON) */
  serializer?: QueueOptions["serializer"];
  /** Payloads serialized larger than this many bytes are compressed. (Default: never) */
  compressAboveBytes?: number;
  /** True when `new Class()` type-checks, so the worker can make one itself. */
  constructibleWithoutArgs: boolean;
  /** The `@Job` methods, in class order. */
  jobs: JobManifest[];
}

/** One `@Job` method: its name, options, and payload and result types. */
export interface JobManifest {
  /** The job type's name: `@Job({ name })`, else the method's. */
  name: string;
  /** The method's name in the class. */
  method: string;
  /** The method's TSDoc, carried onto the generated enqueue and schedule functions. */
  doc?: string;
  /** True when the method takes a second parameter: `JobContext`, or `BatchContext` for a batch job. */
  usesContext: boolean;
  /** Its `@Job` options, defaults filled in. */
  options: JobOptionsManifest;
  /** The first parameter's type (for a batch job, of one item). */
  payload: TypeRef;
  /** The awaited return type (for a batch job, of one item). */
  result: TypeRef;
  /** `G` of the method's `ctx: JobContext<G>`: what it reports with `ctx.progress()`; absent when not declared (unknown). */
  progress?: TypeRef;
  /** With `version` > 1: one upgrade per older version, oldest first (`upgradeTweetV1`, …). */
  upgrades?: UpgradeManifest[];
}

/** `export function upgradeTweetV1(p: TweetV1): TweetV2` in jobs.ts: version `fromVersion` → the next. */
export interface UpgradeManifest {
  /** The payload version it reads. */
  fromVersion: number;
  /** The exported function's name. */
  function: string;
  /** The payload type of `fromVersion`: the function's parameter type. */
  payload: TypeRef;
}

/**
 * `@Job` options with every default filled in: the runtime's `JobOptions` less `name` (the job's own
 * field), with the options that have a default (`DEFAULT_JOB_OPTIONS`) required.
 */
export type JobOptionsManifest = Required<Pick<JobOptions, DefaultedJobOption>> & Omit<JobOptions, "name" | DefaultedJobOption>;

/** A payload or result: a named type, or `void` (results only). */
export type TypeRef =
  | {
      /** A named type of {@link Manifest.types}. */
      kind: "ref";
      /** Its key in `types`. */
      name: string;
    }
  | {
      /** No value: the handler returns nothing. */
      kind: "void";
    };

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

/** A type of jobs.ts that payloads and results refer to by name; emitted as a type and a schema. */
export interface NamedType {
  /** Its TSDoc in jobs.ts, carried onto the generated type. */
  doc?: string;
  /**
   * Set on recursive types: the named types of its cycle (itself included), in manifest order. Their
   * schema is one `Type.Cyclic` whose members refer to each other by name.
   */
  cycle?: string[];
  /** Its structure. */
  type: TypeNode;
}

/** The TSDoc tags of a string property (`@minLength 1`, `@format email`), as JSON Schema keywords. */
export interface StringConstraints {
  /** Fewest characters. */
  minLength?: number;
  /** Most characters. */
  maxLength?: number;
  /** A regular expression the whole string must match. */
  pattern?: string;
  /** A named format the string must have. */
  format?: StringFormat;
}

/** The TSDoc tags of a number property (`@minimum 0`, `@integer`), as JSON Schema keywords. */
export interface NumberConstraints {
  /** Least value allowed. */
  minimum?: number;
  /** Greatest value allowed. */
  maximum?: number;
  /** Values must be above this. */
  exclusiveMinimum?: number;
  /** Values must be below this. */
  exclusiveMaximum?: number;
  /** Values must be a multiple of this. */
  multipleOf?: number;
}

/** The TSDoc tags of an array property (`@maxItems 4`), as JSON Schema keywords. */
export interface ArrayConstraints {
  /** Fewest items. */
  minItems?: number;
  /** Most items. */
  maxItems?: number;
  /** No two items equal. */
  uniqueItems?: boolean;
}

/** The string formats `@format` accepts. */
export const STRING_FORMATS = ["email", "uri", "uuid", "date-time", "date"] as const;
/** One of {@link STRING_FORMATS}. */
export type StringFormat = (typeof STRING_FORMATS)[number];

/** `default` is the `@default` tag's value, when there is one. */
interface WithDefault {
  /** The `@default` tag's value: filled in when a decoded payload leaves the property out. */
  default?: JsonValue;
}

/**
 * A type as the manifest describes it: what jobs.ts's types may be made of, each kind emitted as one
 * TypeScript type and one TypeBox schema. Named types appear as `ref`s, never inlined twice.
 */
export type TypeNode =
  | ({
      /** A string. */
      kind: "string";
    } & StringConstraints &
      WithDefault)
  | ({
      /** A number. */
      kind: "number";
    } & NumberConstraints &
      WithDefault)
  | ({
      /** A whole number (`@integer`). */
      kind: "integer";
    } & NumberConstraints &
      WithDefault)
  | ({
      /** `true` or `false`. */
      kind: "boolean";
    } & WithDefault)
  | {
      /** `null`. */
      kind: "null";
    }
  | ({
      /** One literal value. */
      kind: "literal";
      /** The value. */
      value: string | number | boolean;
    } & WithDefault)
  | ({
      /** An array of one item type. */
      kind: "array";
      /** The item type. */
      items: TypeNode;
      /** A `readonly` array. */
      readonly?: true;
    } & ArrayConstraints &
      WithDefault)
  | {
      /** A tuple. */
      kind: "tuple";
      /** Each position's type. */
      items: TypeNode[];
      /** A `readonly` tuple. */
      readonly?: true;
    }
  | {
      /** `Record<string, T>` or `{ [key: string]: T }`. */
      kind: "record";
      /** The value type. */
      values: TypeNode;
    }
  | {
      /** An object type. */
      kind: "object";
      /** Its properties, in declaration order. */
      properties: PropertyNode[];
    }
  | ({
      /** A union. */
      kind: "union";
      /** Its members, in declaration order. */
      members: TypeNode[];
    } & WithDefault)
  | {
      /** A `Date`: an ISO 8601 date-time string on the wire, a `Date` in code. */
      kind: "date";
    }
  | {
      /** A named type. */
      kind: "ref";
      /** Its key in {@link Manifest.types}. */
      name: string;
    };

/** One property of an object type. */
export interface PropertyNode {
  /** The property's name. */
  name: string;
  /** Declared with `?`. */
  optional: boolean;
  /** Declared `readonly`. */
  readonly?: true;
  /** Its TSDoc in jobs.ts, carried onto the generated type. */
  doc?: string;
  /** Its type. */
  type: TypeNode;
}
