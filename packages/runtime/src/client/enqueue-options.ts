/**
 * The schema every enqueue's options must match, checked before anything is written (the REST API
 * enqueues through the client, so it is checked there too). Options travel to Redis packed into one
 * "|"-joined string and become timers in the worker, so a value outside these bounds is never merely
 * odd: a `timeoutMs` of 2^31 fires at once (setTimeout wraps), NaN or a bad Date runs a job at once,
 * Infinity parks it for ever, and a string holding "|" would shift the packed fields. Every string
 * option is therefore a literal or matches a pattern without "|".
 */
import { Type } from "typebox";
import { Compile } from "typebox/compile";
import { ValidationError, type ValidationIssue } from "../errors.js";
import { PRIORITIES, type EnqueueOptions } from "../options.js";
import { MAX_ATTEMPTS, MAX_TIMEOUT_MS } from "../contract/job-options.js";

export { MAX_ATTEMPTS, MAX_TIMEOUT_MS };
/** Longest `delayMs`: exact as a double, so a due time computed from it is too. */
export const MAX_DELAY_MS = Number.MAX_SAFE_INTEGER;
/** What a job id may hold: no "|" or "," (the separators of packed fields and parent lists). */
export const JOB_ID_PATTERN = "^[A-Za-z0-9._:-]{1,128}$";
/**
 * Ids taskq makes itself, which an explicit `jobId` must never take over: counted ids (digits only)
 * and a schedule's firings (`s:<schedule>:<due>`, see schedule-store.ts).
 */
const RESERVED_ID = /^(?:\d+$|s:)/;

const JobId = Type.String({ pattern: JOB_ID_PATTERN });
const ValidDate = Type.Refine(
  Type.Unsafe<Date>({}),
  (value: unknown) => value instanceof Date && Number.isFinite(value.getTime()),
  () => "must be a valid Date",
);

const EnqueueOptionsSchema = Type.Object(
  {
    priority: Type.Optional(Type.Enum(PRIORITIES)),
    delayMs: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_DELAY_MS })),
    runAt: Type.Optional(ValidDate),
    jobId: Type.Optional(
      Type.Refine(
        JobId,
        (id: string) => !RESERVED_ID.test(id),
        (id: string) =>
          /^\d+$/.test(id)
            ? 'an id of digits only could collide with taskq\'s own numbering: add a letter (e.g. an "order-" before it)'
            : 'an id starting with "s:" could take over a schedule\'s firing, which taskq names s:<schedule>:<due>',
      ),
    ),
    // A handle carries more than its id and queue: other properties are allowed here.
    dependsOn: Type.Optional(Type.Array(Type.Union([JobId, Type.Object({ id: JobId, queue: Type.Optional(Type.String()) })]))),
    onParentFailure: Type.Optional(Type.Enum(["fail", "ignore"])),
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ATTEMPTS })),
    timeoutMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_TIMEOUT_MS })),
    durable: Type.Optional(
      Type.Union([
        Type.Boolean(),
        Type.Object(
          {
            replicas: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000 })),
            timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TIMEOUT_MS })),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  // A misspelt option (`delay` for `delayMs`) would otherwise be ignored without a word.
  { additionalProperties: false },
);

/** Compiled once, at load: a check costs well under a microsecond. */
const validator = Compile(EnqueueOptionsSchema);

/** What a refinement is called in an issue, by the option it refines. */
const REFINED_RULES: Record<string, string> = { "/runAt": "date", "/jobId": "reserved" };

/**
 * Throws `ValidationError` naming each option that is out of its bounds (`/timeoutMs: maximum`).
 * `job` is the job's name; `index` the item of a bulk.
 */
export function assertEnqueueOptions(options: EnqueueOptions, job: string, index?: number): void {
  if (validator.Check(options)) return;
  const issues: ValidationIssue[] = [];
  for (const e of validator.Errors(options)) {
    // An unknown key is reported twice: as a schema that is false under its own path, and as
    // additionalProperties on its object. The first names the key.
    if (e.keyword === "additionalProperties") continue;
    if (e.keyword === "boolean") issues.push({ path: e.instancePath, rule: "unknown", message: "not an enqueue option" });
    else if (e.keyword === "~refine")
      issues.push({ path: e.instancePath, rule: Object.hasOwn(REFINED_RULES, e.instancePath) ? REFINED_RULES[e.instancePath] : "refine", message: e.message });
    else issues.push({ path: e.instancePath, rule: e.keyword, message: e.message });
  }
  throw new ValidationError(`enqueue options of ${job}`, issues, index);
}
