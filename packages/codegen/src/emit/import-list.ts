/** `import { a, type B } from "x";` and `export { … } from "x";`, wrapped one name a line when long. */

const MAX_LINE = 100;

/** Names sorted values first, then types, each alphabetically: stable whatever order they were met in. */
export function sortNames(values: Iterable<string>, types: Iterable<string> = []): string[] {
  const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
  return [...sorted(values), ...sorted(types).map((name) => `type ${name}`)];
}

export function importList(keyword: "import" | "export" | "import type", names: string[], from: string): string {
  const oneLine = `${keyword} { ${names.join(", ")} } from "${from}";`;
  if (oneLine.length <= MAX_LINE) return oneLine;
  return `${keyword} {\n${names.map((name) => `  ${name},`).join("\n")}\n} from "${from}";`;
}

/** The runtime's entry for generated code's plumbing (`defineJob`, `createCodec`, …): not the user's API. */
export const RUNTIME_INTERNAL = "@taskq/runtime/internal";

/**
 * The imports of generated code from the runtime: the user's API from "@taskq/runtime", its plumbing
 * from "@taskq/runtime/internal"; one line each, the second left out when empty.
 */
export function runtimeImports(keyword: "import" | "import type", publicNames: string[], internalNames: string[]): string {
  const lines = [];
  if (publicNames.length > 0) lines.push(importList(keyword, publicNames, "@taskq/runtime"));
  if (internalNames.length > 0) {
    // Types only: `import type`, so no module is loaded for them (under verbatimModuleSyntax too).
    const typesOnly = keyword === "import" && internalNames.every((name) => name.startsWith("type "));
    lines.push(
      typesOnly
        ? importList(
            "import type",
            internalNames.map((name) => name.slice(5)),
            RUNTIME_INTERNAL,
          )
        : importList(keyword, internalNames, RUNTIME_INTERNAL),
    );
  }
  return lines.join("\n");
}
