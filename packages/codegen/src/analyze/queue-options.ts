/** `@Queue(name, options?)`: the queue's name, concurrency and prefix, defaults filled in. */
import type { Decorator } from "ts-morph";
import { readLiteral } from "./literal.js";
import { NAME_PATTERN } from "./names.js";
import { numberField, objectEntries, stringField } from "./option-fields.js";
import type { Reporter } from "./reporter.js";

export interface QueueDecoratorArgs {
  name: string;
  concurrency: number;
  prefix: string;
}

const QUEUE_OPTIONS = ["concurrency", "prefix"] as const;

/** `defaultPrefix`: the prefix of a queue that sets none (taskq.config.json's `prefix`, else "taskq"). */
export function readQueueDecorator(decorator: Decorator, reporter: Reporter, defaultPrefix = "taskq"): QueueDecoratorArgs | undefined {
  const [nameArg, optionsArg, ...extra] = decorator.getArguments();
  if (nameArg === undefined) {
    reporter.error(decorator, "@Queue needs a name", 'write @Queue("name", { concurrency })');
    return undefined;
  }
  for (const argument of extra) reporter.error(argument, "@Queue takes a name and an options object only", 'write @Queue("name", { concurrency, prefix })');
  const nameLiteral = readLiteral(nameArg, reporter);
  const name = nameLiteral && stringField(nameLiteral, "queue name", reporter, NAME_PATTERN);
  const args = { name, concurrency: 1, prefix: defaultPrefix };
  let valid = name !== undefined;
  const options = optionsArg && readLiteral(optionsArg, reporter);
  if (optionsArg && !options) valid = false;
  const entries = options && objectEntries(options, "@Queue options", QUEUE_OPTIONS, reporter);
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
  return valid ? (args as QueueDecoratorArgs) : undefined;
}
