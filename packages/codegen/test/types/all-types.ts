/**
 * Type-level specification of the code generated from `fixtures/all-types/jobs.ts`, checked by
 * `typecheck.test.ts`: dates are `Date`s, enums of jobs.ts are accepted, wrong shapes do not compile.
 */
import { enqueueEverything, enqueueTree, type Everything, type ResultOf } from "../fixtures/all-types/generated/index.js";
import { Status } from "../fixtures/all-types/jobs.js";

export async function datesAreDates(payload: Everything): Promise<number> {
  const handle = await enqueueEverything(payload);
  const result: ResultOf<"everything"> = await handle.result();
  return result.at.getTime() + payload.history[0].getTime();
}

export async function enumsOfJobsTsAreAccepted(payload: Everything): Promise<void> {
  await enqueueEverything({ ...payload, post: { ...payload.post, status: Status.Live } });
  // @ts-expect-error a string that is not one of the enum's values
  await enqueueEverything({ ...payload, post: { ...payload.post, status: "archived" } });
}

export async function wrongShapesDoNotCompile(payload: Everything): Promise<void> {
  // @ts-expect-error a tuple has exactly its elements
  await enqueueEverything({ ...payload, point: [1, 2, 3] });
  // @ts-expect-error a Date, not its string
  await enqueueEverything({ ...payload, at: "2024-01-01T00:00:00Z" });
  // @ts-expect-error the members of a discriminated union do not mix
  await enqueueEverything({ ...payload, shape: { kind: "circle", side: 1 } });
  // @ts-expect-error record values have one type
  await enqueueEverything({ ...payload, counts: { a: "1" } });
  // @ts-expect-error every level of a recursive type is checked
  await enqueueTree({ text: "a", replies: [{ text: "b", replies: [{ text: 1, replies: [] }] }] });
  // @ts-expect-error readonly stays readonly
  payload.tags.push("x");
}
