/** Type-checks files under the repository's strict tsconfig, for the tests of generated code. */
import path from "node:path";
import { Project, type Diagnostic, type SourceFile } from "ts-morph";
import { REPO } from "./helpers.js";

function format(diagnostic: Diagnostic): string {
  const file = diagnostic.getSourceFile();
  const where = file ? `${path.relative(REPO, file.getFilePath())}:${diagnostic.getLineNumber()}` : "";
  const message = diagnostic.getMessageText();
  return `${where}: ${typeof message === "string" ? message : message.getMessageText()}`;
}

function newProject(): Project {
  return new Project({ tsConfigFilePath: path.join(REPO, "tsconfig.json"), skipAddingFilesFromTsConfig: true });
}

/** Type errors of `files`; `replace` gives some of them other contents (in memory, nothing is written). */
export function typeErrors(files: string[], replace: Record<string, string> = {}): string[] {
  const project = newProject();
  for (const file of files) {
    if (file in replace) project.createSourceFile(file, replace[file], { overwrite: true });
    else project.addSourceFileAtPath(file);
  }
  project.resolveSourceFileDependencies();
  return project.getPreEmitDiagnostics().map(format);
}

/** `roots` and every file they import, transitively. */
function importClosure(roots: SourceFile[]): Set<SourceFile> {
  const seen = new Set<SourceFile>();
  for (const queue = [...roots]; queue.length > 0;) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...file.getReferencedSourceFiles());
  }
  return seen;
}

/**
 * `typeErrors` for several sets of files from one program, so the checker's work on what they share
 * (the runtime's sources, typebox's types: most of it) is done once, where a program per set did it
 * again each time. A set's errors are those `typeErrors(set)` reports: of the set's files and all they
 * import, of the files no set imports (the libraries' and @types' declarations), and the program's own.
 */
export function sharedTypeErrors(allFiles: string[]): (files: string[]) => string[] {
  const project = newProject();
  for (const file of allFiles) project.addSourceFileAtPath(file);
  project.resolveSourceFileDependencies();
  const program = project.getProgram();
  const reached = importClosure(allFiles.map((file) => project.getSourceFileOrThrow(file)));
  const unreached = project.getSourceFiles().filter((file) => !reached.has(file));
  return (files) => {
    const checked = [...importClosure(files.map((file) => project.getSourceFileOrThrow(file))), ...unreached];
    return [
      ...program.getConfigFileParsingDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...checked.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
    ].map(format);
  };
}
