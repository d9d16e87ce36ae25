/** The installed version of a package, read from node_modules (some packages do not export package.json). */
import { readFileSync } from "node:fs";

const root = new URL("../node_modules/", import.meta.url);

export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(new URL(`${name}/package.json`, root), "utf8")) as { version: string }).version;
}
