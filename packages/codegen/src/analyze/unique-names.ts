/**
 * Queue names and job names are unique across the file: job names key the generated `definitions`,
 * and their PascalCase forms name the generated functions and inline types (`enqueueSendEmail`,
 * `SendEmailPayload`), so those must differ too.
 */
import type { Node } from "ts-morph";
import { pascalCase } from "./names.js";
import type { Reporter } from "./reporter.js";

export class NameBook {
  private readonly queues = new Set<string>();
  private readonly jobs = new Map<string, string>();

  /** False (and reported) when another queue already has this name. */
  claimQueue(name: string, at: Node, reporter: Reporter): boolean {
    if (this.queues.has(name)) {
      reporter.error(at, `queue name "${name}" is used by two classes`, "queue names are unique across the file");
      return false;
    }
    this.queues.add(name);
    return true;
  }

  /** Whether `claimJob` would take this name without a clash. */
  isJobNameFree(name: string): boolean {
    return !this.jobs.has(pascalCase(name));
  }

  /** False (and reported) when another job has this name, or one that reads the same in PascalCase. */
  claimJob(name: string, at: Node, reporter: Reporter): boolean {
    const pascal = pascalCase(name);
    const clash = this.jobs.get(pascal);
    if (clash === undefined) {
      this.jobs.set(pascal, name);
      return true;
    }
    const what = clash === name ? `job name "${name}" is used twice` : `job names "${clash}" and "${name}" both become ${pascal}`;
    reporter.error(at, what, "job names are unique across the file: set another with @Job({ name })");
    return false;
  }
}
