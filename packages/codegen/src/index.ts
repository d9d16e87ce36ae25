/**
 * The public API of @taskq/codegen: reading `jobs.ts` into a manifest and emitting the typed client, codecs
 * and worker from it. Everything not exported here is internal.
 *
 * @module @taskq/codegen
 */
export { analyze, type AnalyzeOptions, type AnalyzeResult } from "./analyze/analyze.js";
export { emit, defaultHeader, type EmitOptions, type EmittedFile } from "./emit/emit.js";
export { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
export { renderDiagnostic, renderDiagnostics, type Diagnostic } from "./diagnostic.js";
export type {
  Manifest,
  QueueManifest,
  JobManifest,
  JobOptionsManifest,
  UpgradeManifest,
  NamedType,
  PropertyNode,
  TypeNode,
  TypeRef,
  JsonValue,
} from "./manifest.js";
export { watchGenerate, type WatchOptions, type Watcher } from "./watch.js";
