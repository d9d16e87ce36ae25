/** How a job's names appear in generated code: `enqueueTweet`, `definitions.tweet`, `TweetCodec`. */
import { isIdentifier, pascalCase } from "../analyze/names.js";
import type { TypeRef } from "../manifest.js";
import { keyCode } from "./code-literal.js";

export function jobKey(name: string): string {
  return keyCode(name);
}

/** `definitions.tweet`, or `definitions["send.email"]`. */
export function definitionAccess(name: string): string {
  return isIdentifier(name) ? `definitions.${name}` : `definitions[${JSON.stringify(name)}]`;
}

export function jobPascal(name: string): string {
  return pascalCase(name);
}

/** The TypeScript type of a payload or result. */
export function refType(ref: TypeRef): string {
  return ref.kind === "void" ? "void" : ref.name;
}

/** The codec constant of a payload or result. */
export function refCodec(ref: TypeRef): string {
  return ref.kind === "void" ? "VoidCodec" : `${ref.name}Codec`;
}
