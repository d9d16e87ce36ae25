/** Type-checks files under the repository's strict tsconfig, for the tests of generated code. */
import path from "node:path";
import { Project } from "ts-morph";
import { REPO } from "./helpers.js";

/** Type errors of `files`; `replace` gives some of them other contents (in memory, nothing is written). */
export function typeErrors(files: string[], replace: Record<string, string> = {}): string[] {
  const project = new Project({ tsConfigFilePath: path.join(REPO, "tsconfig.json"), skipAddingFilesFromTsConfig: true });
  for (const file of files) {
    if (file in replace) project.createSourceFile(file, replace[file], { overwrite: true });
    else project.addSourceFileAtPath(file);
  }
  project.resolveSourceFileDependencies();
  return project.getPreEmitDiagnostics().map((diagnostic) => {
    const file = diagnostic.getSourceFile();
    const where = file ? `${path.relative(REPO, file.getFilePath())}:${diagnostic.getLineNumber()}` : "";
    const message = diagnostic.getMessageText();
    return `${where}: ${typeof message === "string" ? message : message.getMessageText()}`;
  });
}
