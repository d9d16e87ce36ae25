import { Type, type TCodec, type TString } from "typebox";

/** Encodes what is not a valid Date to a value no date-time string schema accepts. */
const NOT_A_DATE = Number.NaN;

/**
 * The TypeBox schema of a `Date` in a payload or result: an ISO 8601 date-time string on the wire (JSON
 * has no dates), a `Date` again once decoded. The generated schemas use it wherever jobs.ts says `Date`;
 * an invalid `Date` fails validation instead of being stored.
 *
 * @internal For generated code, from `@taskq/runtime/internal`.
 */
export function IsoDate(): TCodec<TString, Date> {
  return Type.Codec(Type.String({ format: "date-time" }))
    .Decode((text: string) => new Date(text))
    .Encode((value: Date) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : (NOT_A_DATE as never)));
}
