/**
 * The lock-file check of `taskq generate`. For each job whose version did not change, the new payload
 * shape must accept everything the locked one did; a breaking change is an error naming the field and
 * the change, fixed by raising the version (and writing the upgrade) or by undoing the change. When
 * the version went up, the locked shape must still decode as the payload type of that version, the
 * parameter of its upgrade function. What passes becomes the new lock.
 */
import type { DiagnosticSite, Diagnostic } from "../diagnostic.js";
import type { JobSites } from "../analyze/job-sites.js";
import { upgradeName } from "../analyze/upgrades.js";
import { pascalCase } from "../analyze/names.js";
import type { JobManifest, Manifest } from "../manifest.js";
import { breakingChanges, type BreakingChange } from "./breaking-changes.js";
import { canonicalLockedJob, LOCK_FILE, type LockFile, type LockedJob } from "./lock-file.js";
import { hashedPayloadShape, payloadShape } from "./payload-shape.js";

export interface LockCheck {
  lock: LockFile;
  diagnostics: Diagnostic[];
}

export function checkLock(manifest: Manifest, sites: Map<string, JobSites>, previous: LockFile | undefined): LockCheck {
  const jobs = manifest.queues.flatMap((queue) => queue.jobs).sort((a, b) => (a.name < b.name ? -1 : 1));
  const diagnostics: Diagnostic[] = [];
  const locked: Record<string, LockedJob> = {};
  for (const job of jobs) {
    const { shape, hash } = hashedPayloadShape(manifest, job.payload);
    locked[job.name] = canonicalLockedJob(job.options.version, hash, shape);
    const before = previous?.jobs[job.name];
    const site = sites.get(job.name);
    if (before && site) diagnostics.push(...compareToLock(manifest, job, before, locked[job.name], site));
  }
  return { lock: { lockVersion: 1, jobs: locked }, diagnostics };
}

function compareToLock(manifest: Manifest, job: JobManifest, before: LockedJob, after: LockedJob, site: JobSites): Diagnostic[] {
  const version = job.options.version;
  if (version < before.version) {
    return [
      at(
        site.version,
        `the version of job ${job.name} went down from ${before.version} to ${version} (${LOCK_FILE})`,
        `versions only go up: set version: ${before.version}, or more with an upgrade`,
      ),
    ];
  }
  if (version === before.version) {
    if (before.hash === after.hash) return [];
    const hint = `raise the version (@Job({ version: ${version + 1} })) and export ${upgradeName(pascalCase(job.name), version)}(payload: <the old type>): <the new type>; or undo the change`;
    return breakingChanges(before.shape, after.shape).map((change) =>
      at(site.payload, `breaking change to the payload of ${job.name} without a version bump: ${describe(change)}`, hint),
    );
  }
  // Version raised: payloads still stored at the locked version decode with that version's type.
  const upgrade = job.upgrades?.find((link) => link.fromVersion === before.version);
  const upgradeSite = site.upgrades[before.version];
  if (!upgrade || !upgradeSite) return [];
  const hint = `make the parameter of ${upgrade.function} the payload type version ${before.version} had (${LOCK_FILE} holds its shape)`;
  return breakingChanges(before.shape, payloadShape(manifest, upgrade.payload)).map((change) =>
    at(upgradeSite, `${upgrade.function} does not accept every version ${before.version} payload of ${job.name}: ${describe(change)}`, hint),
  );
}

function describe({ path, change }: BreakingChange): string {
  return path === "" ? `the payload: ${change}` : `field ${path}: ${change}`;
}

function at(site: DiagnosticSite, message: string, hint: string): Diagnostic {
  return { ...site, message, hint };
}
