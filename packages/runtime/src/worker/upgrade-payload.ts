/**
 * A payload stored at an older version → the payload the handler takes. (One at the job's current
 * version decodes with its codec directly: the fast path, in run-job.ts.) Written before a deploy, or
 * by a producer still on the old code, it decodes with its own version's codec, goes up the upgrade
 * chain one version at a time, and is checked against the current schema at the end, so a handler
 * never sees an upgrade's mistake. Anything else is a `DecodeError` with the reason: dead-lettered.
 */
import type { JobDefinition } from "../definition.js";
import { DecodeError } from "../errors.js";
import type { StoredPayload } from "../payload/envelope.js";

/** A payload stored at `version`, other than the definition's own (which the caller decodes directly). */
export async function upgradePayload(definition: JobDefinition<any, any>, stored: StoredPayload, version: number): Promise<unknown> {
  if (!Number.isInteger(version) || version < 1 || version > definition.version) {
    throw new DecodeError(`stored at version ${version}, but this worker knows versions 1 to ${definition.version}`);
  }
  const first = definition.upgrades?.[version];
  if (!first) throw new DecodeError(`stored at version ${version}, and the job has no upgrade from it to ${definition.version}`);
  let payload: unknown = first.payload.decode(stored);
  for (let from = version; from < definition.version; from++) {
    const link = definition.upgrades?.[from];
    if (!link) throw new DecodeError(`stored at version ${version}, and the job has no upgrade from version ${from}`);
    try {
      payload = await link.upgrade(payload);
    } catch (cause) {
      throw new DecodeError(`the upgrade from version ${from} threw: ${(cause as Error)?.message ?? String(cause)}`, [], { cause });
    }
  }
  // Through the codec once more: validates the upgraded value and fills in the current defaults.
  try {
    return definition.payload.decode(definition.payload.encode(payload, "upgraded payload"));
  } catch (cause) {
    throw new DecodeError(`upgraded from version ${version}, but ${(cause as Error).message}`, [], { cause });
  }
}
