/**
 * The named types of the manifest. A declared type alias, interface or enum becomes one named schema,
 * mapped once and referenced everywhere it is used. Types are added after their dependencies, so
 * the emitted `const XSchema` declarations never refer to one not yet declared. Recursive types are
 * the exception that proves the rule: the types of one cycle are added together, once the last of
 * them is mapped, each marked with the whole cycle (their schemas refer to each other by name).
 */
import type { Node } from "ts-morph";
import type { NamedType, TypeNode } from "../manifest.js";
import { mapDeclaration, type Declaration } from "./declaration.js";
import type { JobMemo, JobRecording } from "./job-memo.js";
import type { JobSites } from "./job-sites.js";
import { docText } from "./jsdoc-tags.js";
import { RESERVED_NAMES } from "./names.js";
import { nodeKey } from "./node-key.js";
import type { Reporter } from "./reporter.js";
import type { NameBook } from "./unique-names.js";

export interface TypeContext {
  reporter: Reporter;
  registry: TypeRegistry;
  names: NameBook;
  /** Filled in by each job read, by job name. */
  jobSites: Map<string, JobSites>;
  /** `--watch` only: jobs read in the last run, replayed when nothing they depend on changed. */
  memo?: JobMemo;
}

/** Who declared a name: a declaration (or inline type) by `nodeKey`, and its file for the message. */
export interface TypeOwner {
  key: string;
  fileName: string;
}

export class TypeRegistry {
  private readonly types = new Map<string, NamedType>();
  /** Which declaration owns each name: a second declaration with the same name is a clash. */
  private readonly owners = new Map<string, TypeOwner>();
  /** The names being mapped, outermost first. */
  private readonly stack: string[] = [];
  private readonly failed = new Set<string>();
  /** Each name of a cycle → the set of its cycle's names (shared by all of them). */
  private readonly cycles = new Map<string, Set<string>>();
  /** Mapped members of a cycle whose other members are still being mapped. */
  private readonly pending = new Map<string, NamedType>();
  /** While a job is read for the memo: what it asks of and adds to the registry. */
  recording?: JobRecording;

  /** A reference to the declared type, mapping it on first use; undefined when it cannot be mapped. */
  named(declaration: Declaration, at: Node, ctx: TypeContext): TypeNode | undefined {
    const name = declaration.getName();
    if (!this.claim(name, declaration, at, ctx.reporter)) return undefined;
    if (this.failed.has(name)) return undefined;
    if (this.types.has(name)) {
      this.recording?.events.push({ kind: "uses", name, owner: this.owners.get(name)!, named: this.types.get(name)! });
      return { kind: "ref", name };
    }
    if (this.stack.includes(name) || this.pending.has(name)) {
      if (this.recording) this.recording.replayable = false;
      this.joinCycle(name);
      return { kind: "ref", name };
    }
    this.stack.push(name);
    const type = mapDeclaration(declaration, ctx);
    this.stack.pop();
    if (!type) {
      this.failed.add(name);
      return undefined;
    }
    const doc = docText(declaration.getJsDocs());
    this.complete(name, doc === undefined ? { type } : { doc, type });
    return { kind: "ref", name };
  }

  /** Registers an inline payload or result type under a generated name (`TweetPayload`). */
  inline(name: string, type: TypeNode, at: Node, reporter: Reporter): TypeNode | undefined {
    if (!this.claim(name, at, at, reporter)) return undefined;
    this.types.set(name, { type });
    this.recording?.events.push({ kind: "adds", name, owner: this.owners.get(name)!, named: { type } });
    return { kind: "ref", name };
  }

  /** A named type already mapped (or mapped and waiting for the rest of its cycle). */
  get(name: string): NamedType | undefined {
    const named = this.types.get(name) ?? this.pending.get(name);
    this.recording?.events.push({ kind: "reads", name, named });
    return named;
  }

  /** What `uses`, `adds` and `reads` would find now; the memo checks a job's record against it. */
  peek(name: string): { owner?: TypeOwner; named?: NamedType; failed: boolean } {
    return { owner: this.owners.get(name), named: this.types.get(name) ?? this.pending.get(name), failed: this.failed.has(name) || this.stack.includes(name) };
  }

  /** Adds a type as a replayed job added it (the memo has checked that nothing else owns the name). */
  restore(name: string, owner: TypeOwner, named: NamedType): void {
    this.owners.set(name, owner);
    this.types.set(name, named);
  }

  /** The named types, dependencies first. */
  all(): Record<string, NamedType> {
    return Object.fromEntries(this.types);
  }

  /** `name` is referred to while it (or a type it depends on) is still being mapped: a cycle. */
  private joinCycle(name: string): void {
    const start = this.stack.includes(name) ? this.stack.indexOf(name) : this.stack.length;
    const members = new Set([name, ...this.stack.slice(start)]);
    // A reference to a waiting member ties whatever refers to it into the same cycle.
    if (!this.stack.includes(name)) for (const inner of this.stack) members.add(inner);
    const merged = new Set<string>();
    for (const member of members) for (const other of this.cycles.get(member) ?? [member]) merged.add(other);
    for (const member of merged) this.cycles.set(member, merged);
  }

  private complete(name: string, named: NamedType): void {
    const cycle = this.cycles.get(name);
    if (!cycle) {
      this.recording?.events.push({ kind: "adds", name, owner: this.owners.get(name)!, named });
      return void this.types.set(name, named);
    }
    if (this.recording) this.recording.replayable = false;
    this.pending.set(name, named);
    if ([...cycle].some((member) => this.stack.includes(member))) return;
    const order = [...this.pending.keys()].filter((member) => cycle.has(member));
    for (const member of order) {
      const { doc, type } = this.pending.get(member)!;
      this.types.set(member, doc === undefined ? { cycle: order, type } : { doc, cycle: order, type });
      this.pending.delete(member);
    }
  }

  private claim(name: string, ownerNode: Node, at: Node, reporter: Reporter): boolean {
    if (RESERVED_NAMES.has(name)) {
      reporter.error(at, `the name ${name} is used by the generated code`, `rename the type ${name}`);
      return false;
    }
    const current = this.owners.get(name);
    const owner = { key: nodeKey(ownerNode), fileName: ownerNode.getSourceFile().getBaseName() };
    if (current === undefined) this.owners.set(name, owner);
    else if (current.key !== owner.key) {
      const where = current.fileName;
      reporter.error(at, `two types are named ${name} (another is in ${where})`, "rename one of them");
      return false;
    }
    return true;
  }
}
