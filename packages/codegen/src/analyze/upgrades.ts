/**
 * The upgrade chain of a job at `version` n > 1: `export function upgradeTweetV1(p: TweetV1): …` up to
 * `upgradeTweetV{n-1}`, in the entry file beside the job. Each function's parameter type is the payload
 * of that older version, so the worker can decode payloads still stored at it and upgrade them step by
 * step. A missing link is an error naming the function to write.
 */
import type { FunctionDeclaration, Node, SourceFile } from "ts-morph";
import type { TypeRef, UpgradeManifest } from "../manifest.js";
import type { JobSites } from "./job-sites.js";
import { namedRef } from "./named-ref.js";
import type { TypeContext } from "./type-registry.js";

export const UPGRADE_NAME = /^upgrade([A-Z][A-Za-z0-9]*)V([1-9][0-9]*)$/;

export interface UpgradeTarget {
  name: string;
  pascal: string;
  version: number;
  /** Where `version` is written, for a missing link. */
  versionNode: Node;
  /** The current payload type's name, for the hints. */
  payload: TypeRef;
}

export function upgradeName(pascal: string, fromVersion: number): string {
  return `upgrade${pascal}V${fromVersion}`;
}

/** Undefined when a link is missing or malformed (reported). */
export function readUpgrades(file: SourceFile, job: UpgradeTarget, sites: JobSites, ctx: TypeContext): UpgradeManifest[] | undefined {
  const upgrades: UpgradeManifest[] = [];
  let complete = true;
  for (let from = 1; from < job.version; from++) {
    const name = upgradeName(job.pascal, from);
    const fn = file.getFunction(name);
    const payload = fn ? readLink(fn, `${job.pascal}PayloadV${from}`, ctx) : reportMissing(job, from, ctx);
    if (!payload || !fn) {
      complete = false;
      continue;
    }
    sites.upgrades[from] = ctx.reporter.site(fn.getParameters()[0]);
    upgrades.push({ fromVersion: from, function: name, payload });
  }
  return complete ? upgrades : undefined;
}

function readLink(fn: FunctionDeclaration, fallback: string, ctx: TypeContext): TypeRef | undefined {
  const at = fn.getNameNode() ?? fn;
  if (!fn.isExported() || fn.isDefaultExport()) {
    ctx.reporter.error(at, `${fn.getName()} must be a named export: the generated worker imports it`, `write \`export function ${fn.getName()}\``);
    return undefined;
  }
  const [parameter, ...extra] = fn.getParameters();
  const typeNode = parameter?.getTypeNode();
  if (!parameter || !typeNode || extra.length > 0 || parameter.isOptional() || parameter.isRestParameter()) {
    ctx.reporter.error(
      at,
      `${fn.getName()} takes one parameter: the payload of the version it upgrades`,
      `write \`${fn.getName()}(payload: T)\` with T that version's payload type`,
    );
    return undefined;
  }
  return namedRef(typeNode, fallback, ctx);
}

function reportMissing(job: UpgradeTarget, from: number, ctx: TypeContext): undefined {
  const name = upgradeName(job.pascal, from);
  const current = job.payload.kind === "ref" ? job.payload.name : "void";
  const base = current.replace(/V[0-9]+$/, "");
  const to = from + 1 === job.version ? current : `${base}V${from + 1}`;
  ctx.reporter.error(
    job.versionNode,
    `job ${job.name} is at version ${job.version}, but jobs.ts exports no ${name} (version ${from} → ${from + 1})`,
    `export function ${name}(payload: ${base}V${from}): ${to} from jobs.ts, beside the job`,
  );
  return undefined;
}

/** `upgradeXVn` functions that no job's chain uses: a typo, or a version that was not raised. */
export function reportStrayUpgrades(file: SourceFile, used: Set<string>, ctx: TypeContext): void {
  for (const fn of file.getFunctions()) {
    const name = fn.getName();
    const match = name && UPGRADE_NAME.exec(name);
    if (!match || used.has(name)) continue;
    ctx.reporter.error(
      fn.getNameNode() ?? fn,
      `${name} upgrades no job: no job named like ${match[1]} is past version ${match[2]}`,
      `raise that job's version to ${Number(match[2]) + 1}, or fix the name (upgrade<Job>V<version it upgrades from>)`,
    );
  }
}
