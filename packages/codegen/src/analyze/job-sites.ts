/**
 * Where each job's parts are in jobs.ts. Kept beside the manifest, never in it: the manifest must not
 * change when a line moves, yet the lock-file check, which runs after analysis, reports at these places.
 */
import type { DiagnosticSite } from "../diagnostic.js";

export interface JobSites {
  /** The payload parameter's type. */
  payload: DiagnosticSite;
  /** `version: n` in `@Job({ … })`, else the decorator. */
  version: DiagnosticSite;
  /** Each upgrade function's parameter, by the version it upgrades from. */
  upgrades: Record<number, DiagnosticSite>;
}
