/**
 * `--watch` reads a saved jobs.ts again, but a save usually touches one job: the memo keeps what each
 * job read to in the last run and replays it when nothing the job depends on changed, so a rebuild
 * maps only the jobs that did. The output is the same as a full read's, byte for byte:
 *
 * - A job is replayed only while the files' outline (`fileOutline`) is the same, its method's text
 *   (decorators and doc included) is the same, and so is the text of every top-level statement its
 *   types were read from: then each of its names resolves to the same declaration as before.
 * - Its effect on the run's shared state is replayed in order: the job name it claims and each named
 *   type it used, added or looked at in the registry. Each must find the registry as the job found it
 *   when it was recorded (a type it used still there and the same, a type it added still unowned);
 *   if not, the job is read again, and reports whatever a full read would.
 * - Jobs whose reading looks further are never remembered: a job with diagnostics, an inferred
 *   result type (the checker reads the method body), a version above 1 (upgrade functions), a custom
 *   backoff (its function), a recursive type, or an enum member computed from other declarations.
 */
import { ts, type MethodDeclaration, type SourceFile } from "ts-morph";
import { namedTypeJson, type JobManifest, type NamedType } from "../manifest.js";
import type { DiagnosticSite } from "../diagnostic.js";
import { fileOutline } from "./file-outline.js";
import { topStatement } from "./node-key.js";
import type { TypeContext, TypeOwner } from "./type-registry.js";

/** What a job did to the type registry, in order. */
export type RegistryEvent =
  | { kind: "uses"; name: string; owner: TypeOwner; named: NamedType }
  | { kind: "adds"; name: string; owner: TypeOwner; named: NamedType }
  | { kind: "reads"; name: string; named: NamedType | undefined };

/** Filled in while one job is read. */
export interface JobRecording {
  events: RegistryEvent[];
  /** Every declaration a type name of the job resolved to. */
  declarations: ts.Node[];
  /** False once the job did something a replay could not reproduce (a recursive type). */
  replayable: boolean;
}

interface StatementText {
  file: string;
  index: number;
  text: string;
}

interface JobRecord {
  job: JobManifest;
  events: RegistryEvent[];
  statements: StatementText[];
  /** The job's sites, as offsets from the method's (full) start. */
  payloadOffset: number;
  versionOffset: number;
}

export class JobMemo {
  private outline = "";
  /** The last run's records, by the method's full text. */
  private records = new Map<string, JobRecord>();
  /** This run's records: the ones replayed and the ones recorded. */
  private next = new Map<string, JobRecord>();
  private files = new Map<string, ts.SourceFile>();

  /** Starts a run over these files; everything is forgotten when their outline changed. */
  begin(files: SourceFile[]): void {
    this.files = new Map(files.map((file) => [file.getFilePath() as string, file.compilerNode]));
    const outline = files.map((file) => fileOutline(file.compilerNode)).join("\n\n");
    if (outline !== this.outline) this.records.clear();
    this.outline = outline;
    this.next = new Map();
  }

  /** Ends the run: its records are the ones the next run may replay. */
  end(): void {
    this.records = this.next;
    this.next = new Map();
  }

  /** The job of `method`: replayed when its record still holds, else read by `read` (and recorded). */
  read(method: MethodDeclaration, ctx: TypeContext, read: () => JobManifest | undefined): JobManifest | undefined {
    const text = method.getFullText();
    const record = this.records.get(text);
    if (record && this.replay(record, method, ctx)) {
      this.next.set(text, record);
      return record.job;
    }
    const recording: JobRecording = { events: [], declarations: [], replayable: true };
    const before = ctx.reporter.diagnostics.length;
    ctx.registry.recording = recording;
    let job: JobManifest | undefined;
    try {
      job = read();
    } finally {
      ctx.registry.recording = undefined;
    }
    if (job && ctx.reporter.diagnostics.length === before && this.rememberable(job, method, recording)) {
      this.next.set(text, this.toRecord(job, method, recording, ctx));
    }
    return job;
  }

  private rememberable(job: JobManifest, method: MethodDeclaration, recording: JobRecording): boolean {
    if (!recording.replayable || job.options.version !== 1 || job.upgrades || job.options.backoff.type === "custom") return false;
    if (!method.getReturnTypeNode()) return false;
    return recording.declarations.every((declaration) => !computedEnum(declaration));
  }

  private toRecord(job: JobManifest, method: MethodDeclaration, recording: JobRecording, ctx: TypeContext): JobRecord {
    const statements = new Map<ts.Node, StatementText>();
    for (const declaration of recording.declarations) {
      const { index, statement } = topStatement(declaration);
      const file = statement.getSourceFile();
      statements.set(statement, { file: file.fileName, index, text: file.text.slice(statement.pos, statement.end) });
    }
    const sites = ctx.jobSites.get(job.name)!;
    const offset = (site: DiagnosticSite) =>
      method.getSourceFile().compilerNode.getPositionOfLineAndCharacter(site.line - 1, site.column - 1) - method.getPos();
    return { job, events: recording.events, statements: [...statements.values()], payloadOffset: offset(sites.payload), versionOffset: offset(sites.version) };
  }

  /** Replays `record` when it still holds; false (and nothing changed) when it does not. */
  private replay(record: JobRecord, method: MethodDeclaration, ctx: TypeContext): boolean {
    if (!record.statements.every((statement) => this.unchanged(statement))) return false;
    if (!ctx.names.isJobNameFree(record.job.name) || !eventsHold(record.events, ctx)) return false;
    ctx.names.claimJob(record.job.name, method.getNameNode(), ctx.reporter);
    for (const event of record.events) if (event.kind === "adds") ctx.registry.restore(event.name, event.owner, event.named);
    const site = (offset: number) => ctx.reporter.site(method, method.getPos() + offset);
    ctx.jobSites.set(record.job.name, { payload: site(record.payloadOffset), version: site(record.versionOffset), upgrades: {} });
    return true;
  }

  private unchanged({ file, index, text }: StatementText): boolean {
    const source = this.files.get(file);
    const statement = source?.statements[index];
    return statement !== undefined && source!.text.slice(statement.pos, statement.end) === text;
  }
}

/** Whether every event finds the registry as it was when recorded (with the job's own additions). */
function eventsHold(events: RegistryEvent[], ctx: TypeContext): boolean {
  const added = new Map<string, { owner: TypeOwner; named: NamedType }>();
  for (const event of events) {
    const now = added.get(event.name) ?? ctx.registry.peek(event.name);
    const failed = "failed" in now && now.failed;
    if (event.kind === "uses" && (failed || now.owner?.key !== event.owner.key || !sameType(now.named, event.named))) return false;
    if (event.kind === "adds" && (failed || now.owner !== undefined || now.named !== undefined)) return false;
    if (event.kind === "reads" && !sameType(now.named, event.named)) return false;
    if (event.kind === "adds") added.set(event.name, { owner: event.owner, named: event.named });
  }
  return true;
}

function sameType(a: NamedType | undefined, b: NamedType | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && namedTypeJson(a) === namedTypeJson(b));
}

/** An enum whose member values the checker computes from other declarations (`B = A.X`, `C = PREFIX + "c"`). */
function computedEnum(declaration: ts.Node): boolean {
  const enumDeclaration = ts.isEnumMember(declaration) ? declaration.parent : declaration;
  if (!ts.isEnumDeclaration(enumDeclaration)) return false;
  return enumDeclaration.members.some(
    (member) => member.initializer !== undefined && !ts.isStringLiteralLike(member.initializer) && !ts.isNumericLiteral(member.initializer),
  );
}
