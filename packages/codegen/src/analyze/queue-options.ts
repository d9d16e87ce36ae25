/** `@Queue(name, options?)`: the queue's name, concurrency, prefix, priorities and pool, defaults filled in. */
import type { Decorator } from "ts-morph";
import { DEFAULT_CONCURRENCY, DEFAULT_PREFIX, MAX_SHARDS, POOLS, PRIORITIES, QUEUE_OPTION_KEYS } from "@taskq/runtime/contract";
import { readLiteral, type Literal } from "./literal.js";
import { NAME_PATTERN } from "./names.js";
import { numberField, objectEntries, oneOfField, stringField } from "./option-fields.js";
import type { Reporter } from "./reporter.js";
import { readStorageOptions, type StorageOptions } from "./storage-options.js";

export interface QueueDecoratorArgs extends StorageOptions {
  name: string;
  concurrency: number;
  prefix: string;
  priorities?: "strict" | number[];
  pool?: (typeof POOLS)[number];
  /** More than 1 only: 1 is the default, and leaves the generated code as it was. */
  shards?: number;
}

/** `defaultPrefix`: the prefix of a queue that sets none (taskq.config.json's `prefix`, else "taskq"). */
export function readQueueDecorator(decorator: Decorator, reporter: Reporter, defaultPrefix = DEFAULT_PREFIX): QueueDecoratorArgs | undefined {
  const [nameArg, optionsArg, ...extra] = decorator.getArguments();
  if (nameArg === undefined) {
    reporter.error(decorator, "@Queue needs a name", 'write @Queue("name", { concurrency })');
    return undefined;
  }
  for (const argument of extra) reporter.error(argument, "@Queue takes a name and an options object only", 'write @Queue("name", { concurrency, prefix })');
  const nameLiteral = readLiteral(nameArg, reporter);
  const name = nameLiteral && stringField(nameLiteral, "queue name", reporter, NAME_PATTERN);
  const args = { name, concurrency: DEFAULT_CONCURRENCY, prefix: defaultPrefix };
  let valid = name !== undefined;
  const options = optionsArg && readLiteral(optionsArg, reporter);
  if (optionsArg && !options) valid = false;
  const entries = options && objectEntries(options, "@Queue options", QUEUE_OPTION_KEYS, reporter);
  const concurrency = entries?.get("concurrency");
  if (concurrency) {
    const value = numberField(concurrency.value, "concurrency", { integer: true, min: 1 }, reporter);
    if (value === undefined) valid = false;
    else args.concurrency = value;
  }
  const prefix = entries?.get("prefix");
  if (prefix) {
    const value = stringField(prefix.value, "prefix", reporter, NAME_PATTERN);
    if (value === undefined) valid = false;
    else args.prefix = value;
  }
  const priorities = entries?.get("priorities");
  if (priorities) {
    const value = readPriorities(priorities.value, reporter);
    if (value === undefined) valid = false;
    else Object.assign(args, { priorities: value });
  }
  const pool = entries?.get("pool");
  if (pool) {
    const value = oneOfField(pool.value, "pool", POOLS, reporter);
    if (value === undefined) valid = false;
    else Object.assign(args, { pool: value });
  }
  const shards = entries?.get("shards");
  if (shards) {
    const value = readShards(shards.value, reporter);
    if (value === undefined) valid = false;
    else if (value > 1) Object.assign(args, { shards: value });
  }
  const storage = readStorageOptions(entries, reporter);
  if (storage === undefined) valid = false;
  else Object.assign(args, storage);
  return valid ? (args as QueueDecoratorArgs) : undefined;
}

function readShards(literal: Literal, reporter: Reporter): number | undefined {
  const value = numberField(literal, "shards", { integer: true, min: 1 }, reporter);
  if (value === undefined || value <= MAX_SHARDS) return value;
  reporter.error(literal.node, `shards must be at most ${MAX_SHARDS}, not ${value}`, `use ${MAX_SHARDS} or fewer; a shard per Redis Cluster master is plenty`);
  return undefined;
}

/** "strict", or one weight per priority (critical → batch): the runtime's fetch script reads exactly five. */
function readPriorities(literal: Literal, reporter: Reporter): "strict" | number[] | undefined {
  const hint = 'write priorities: "strict" or five positive weights from critical to batch, e.g. [16, 8, 4, 2, 1]';
  if (literal.kind === "string")
    return literal.value === "strict" ? "strict" : (reporter.error(literal.node, `priorities cannot be "${literal.value}"`, hint), undefined);
  if (literal.kind !== "array" || literal.items.length !== PRIORITIES.length) {
    reporter.error(literal.node, `priorities must be "strict" or ${PRIORITIES.length} weights (${PRIORITIES.join(", ")})`, hint);
    return undefined;
  }
  const weights = literal.items.map((item, i) => {
    const weight = numberField(item, `the ${PRIORITIES[i]} weight`, {}, reporter);
    if (weight === undefined || weight > 0) return weight;
    reporter.error(
      item.node,
      `the ${PRIORITIES[i]} weight must be positive, not ${weight}`,
      'use a weight above 0; for strict order write priorities: "strict"',
    );
    return undefined;
  });
  return weights.every((weight) => weight !== undefined) ? weights : undefined;
}
