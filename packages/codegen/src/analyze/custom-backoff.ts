/**
 * `backoff: { type: "custom", name }` names a function of jobs.ts that the generated worker imports
 * and the runtime calls after each failed attempt: `(attempt: number, error: unknown) => number`, the
 * delay in ms. It must be there, exported, and of that type, or retries would fail at run time.
 */
import type { FunctionDeclaration, Node, SourceFile } from "ts-morph";
import type { Reporter } from "./reporter.js";

const SIGNATURE = "(attempt: number, error: unknown): number";

/** `at`: where the name is written in the decorator. True when the function is usable. */
export function checkCustomBackoff(file: SourceFile, name: string, at: Node, reporter: Reporter): boolean {
  const fn = file.getFunction(name);
  if (!fn) {
    reporter.error(at, `jobs.ts has no function ${name} for this custom backoff`, `export function ${name}${SIGNATURE} from jobs.ts`);
    return false;
  }
  const where = fn.getNameNode() ?? fn;
  if (!fn.isExported() || fn.isDefaultExport()) {
    reporter.error(where, `${name} must be a named export: the generated worker imports it`, `write \`export function ${name}\``);
    return false;
  }
  if (!fitsSignature(fn)) {
    reporter.error(
      where,
      `backoff function ${name} must take (attempt: number, error: unknown) and return a number of ms`,
      `write \`export function ${name}${SIGNATURE}\``,
    );
    return false;
  }
  return true;
}

/** Fewer parameters are fine (a function may ignore the error); each one given must accept what the runtime passes. */
function fitsSignature(fn: FunctionDeclaration): boolean {
  if (fn.isAsync() || fn.isGenerator() || fn.getTypeParameters().length > 0) return false;
  const parameters = fn.getParameters();
  if (parameters.length > 2 || parameters.some((p) => p.isRestParameter())) return false;
  const [attempt, error] = parameters.map((p) => p.getType());
  const returns = fn.getReturnType();
  return (!attempt || attempt.isNumber() || attempt.isAny()) && (!error || error.isUnknown() || error.isAny()) && returns.isNumber();
}
