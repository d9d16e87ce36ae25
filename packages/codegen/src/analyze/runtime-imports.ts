/**
 * The local names under which jobs.ts imports the markers from "@taskq/runtime" (`import { Job as J }`
 * works too). Decorators are recognised by these names, not by any `Queue` that happens to be in scope.
 */
import type { SourceFile } from "ts-morph";

export const RUNTIME_MODULE = "@taskq/runtime";

export interface RuntimeImports {
  queue: Set<string>;
  job: Set<string>;
  jobContext: Set<string>;
  batchContext: Set<string>;
}

export function readRuntimeImports(file: SourceFile): RuntimeImports {
  const imports: RuntimeImports = { queue: new Set(), job: new Set(), jobContext: new Set(), batchContext: new Set() };
  for (const declaration of file.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== RUNTIME_MODULE) continue;
    for (const specifier of declaration.getNamedImports()) {
      const local = specifier.getAliasNode()?.getText() ?? specifier.getName();
      if (specifier.getName() === "Queue") imports.queue.add(local);
      if (specifier.getName() === "Job") imports.job.add(local);
      if (specifier.getName() === "JobContext") imports.jobContext.add(local);
      if (specifier.getName() === "BatchContext") imports.batchContext.add(local);
    }
  }
  return imports;
}
