/**
 * The packages' manifests as they are in the repository, which is what `npm pack` puts in the
 * tarballs: their entry points are the compiled dist/ alone. Development resolves the same import
 * paths to the TypeScript sources through the `paths` of the root tsconfig.json (read by tsc, TypeDoc,
 * tsx and vitest.config.ts), never through a manifest.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const PACKAGES = ["runtime", "codegen", "cli"] as const;

interface Manifest {
  name: string;
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  scripts?: Record<string, string>;
}

const manifest = (name: string): Manifest => JSON.parse(readFileSync(path.join(REPO, "packages", name, "package.json"), "utf8")) as Manifest;
const paths = (JSON.parse(readFileSync(path.join(REPO, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions
  .paths;

/** Every import path a package exports (but its package.json), with the compiled file it names. */
function entryPoints(name: string): Array<{ specifier: string; types: string; default: string }> {
  const { name: packageName, exports = {} } = manifest(name);
  return Object.entries(exports)
    .filter(([subpath]) => subpath !== "./package.json")
    .map(([subpath, target]) => {
      expect(typeof target, `${packageName} exports ${subpath}`).toBe("object");
      const conditions = target as Record<string, string>;
      return { specifier: packageName + subpath.slice(1), types: conditions.types, default: conditions.default };
    });
}

describe("the package manifests", () => {
  it("name only compiled files in dist/ as entry points, never a source", () => {
    for (const name of PACKAGES) {
      const { main, types, exports = {}, scripts = {} } = manifest(name);
      const entries = JSON.stringify({ main, types, exports });
      expect(entries, `@taskq/${name}`).not.toMatch(/src\//);
      expect(entries, `@taskq/${name}`).not.toMatch(/(?<!\.d)\.ts"/);
      for (const [subpath, target] of Object.entries(exports)) {
        if (subpath === "./package.json") continue;
        expect(target, `@taskq/${name} exports ${subpath}`).toEqual({
          types: expect.stringMatching(/^\.\/dist\/.*\.d\.ts$/),
          default: expect.stringMatching(/^\.\/dist\/.*\.js$/),
        });
      }
      // Nothing rewrites a manifest on its way into the tarball.
      expect(Object.keys(scripts).filter((script) => /^(pre|post)?pack$|^prepublish/.test(script))).toEqual([]);
    }
  });

  it("each exported import path resolves in development to the source its dist/ file is compiled from", () => {
    const exported = [...entryPoints("runtime"), ...entryPoints("codegen")];
    expect(exported.map((entry) => entry.specifier)).toContain("@taskq/runtime/http");
    expect(Object.keys(paths).sort()).toEqual(exported.map((entry) => entry.specifier).sort());
    for (const entry of exported) {
      const [source] = paths[entry.specifier];
      expect(existsSync(path.join(REPO, source)), `${entry.specifier} → ${source}`).toBe(true);
      const packageDir = `./packages/${entry.specifier.split("/")[1]}/`;
      expect(source).toBe(packageDir + entry.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));
    }
  });
});
