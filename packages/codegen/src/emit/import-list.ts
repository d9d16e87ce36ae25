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
