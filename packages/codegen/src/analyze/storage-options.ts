/** `@Queue` options saying how payloads are stored: `serializer` and `compressAboveBytes`. */
import { SERIALIZERS, type QueueOptions } from "@taskq/runtime/contract";
import { numberField, oneOfField, type Entries } from "./option-fields.js";
import type { Reporter } from "./reporter.js";

export interface StorageOptions {
  serializer?: QueueOptions["serializer"];
  compressAboveBytes?: number;
}

/** The storage options present in `entries`, or undefined when one is wrong (each is reported). */
export function readStorageOptions(entries: Entries | undefined, reporter: Reporter): StorageOptions | undefined {
  const options: StorageOptions = {};
  let valid = true;
  const serializer = entries?.get("serializer");
  if (serializer) {
    const value = oneOfField(serializer.value, "serializer", SERIALIZERS, reporter);
    if (value === undefined) valid = false;
    else options.serializer = value;
  }
  const threshold = entries?.get("compressAboveBytes");
  if (threshold) {
    const value = numberField(threshold.value, "compressAboveBytes", { integer: true, min: 1 }, reporter);
    if (value === undefined) valid = false;
    else options.compressAboveBytes = value;
  }
  return valid ? options : undefined;
}
