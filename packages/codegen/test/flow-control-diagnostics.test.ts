/** Misused flow-control options are diagnostics at file:line:col, each with its fix. */
import { afterAll, describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";
import { removeScratch, writeJobs } from "./helpers.js";

afterAll(removeScratch);

const HEADER = 'import { Queue, Job, type BatchContext, type JobContext } from "@taskq/runtime";\nexport type T = { a: string };\n';

function diagnosticsOf(source: string): string[] {
  return analyze(writeJobs(HEADER + source)).diagnostics.map((d) => `${d.line}:${d.column} ${d.message} — ${d.hint}`);
}

describe("flow-control diagnostics", () => {
  it('refuses priorities that are neither "strict" nor five positive weights', () => {
    expect(diagnosticsOf('@Queue("q", { priorities: [4, 2, 1] })\nexport class Q {\n  @Job() async run(p: T): Promise<void> {}\n}\n')).toEqual([
      '3:27 priorities must be "strict" or 5 weights (critical, high, normal, low, batch) — write priorities: "strict" or five positive weights from critical to batch, e.g. [16, 8, 4, 2, 1]',
    ]);
    expect(diagnosticsOf('@Queue("q", { priorities: [4, 2, 0, 1, 1] })\nexport class Q {\n  @Job() async run(p: T): Promise<void> {}\n}\n')).toEqual([
      '3:34 the normal weight must be positive, not 0 — use a weight above 0; for strict order write priorities: "strict"',
    ]);
  });

  it("refuses a batch job whose first parameter is not an array, or whose answer is not one result or Error per payload", () => {
    expect(
      diagnosticsOf(
        '@Queue("q")\nexport class Q {\n  @Job({ batch: { size: 10, waitMs: 5 } })\n  async run(p: T): Promise<Array<void | Error>> { return []; }\n}\n',
      ),
    ).toEqual([
      "6:16 batch job run takes every payload of a batch, so its first parameter must be an array — write `payloads: T[]`, or remove the batch option",
    ]);
    expect(
      diagnosticsOf(
        '@Queue("q")\nexport class Q {\n  @Job({ batch: { size: 10, waitMs: 5 } })\n  async run(p: T[], ctx: JobContext): Promise<T[]> { return p; }\n}\n',
      ),
    ).toEqual([
      '6:21 the second parameter of a batch job must be its BatchContext — write `ctx: BatchContext` (import type { BatchContext } from "@taskq/runtime")',
      "6:47 batch job run must answer each payload with its result or an Error — write `: Promise<Array<R | Error>>`, one entry per payload, in their order",
    ]);
  });

  it("refuses a thread pool for a class that needs constructor arguments, or with a batch job", () => {
    const source =
      '@Queue("q", { pool: "threads" })\nexport class Q {\n  constructor(private readonly db: string) {}\n  @Job({ batch: { size: 2, waitMs: 5 } })\n  async run(p: T[], ctx: BatchContext): Promise<Array<T | Error>> { return p; }\n}\n';
    expect(diagnosticsOf(source)).toEqual([
      '3:15 queue class Q needs constructor arguments, so a thread pool cannot make it — give every constructor parameter a default (each thread runs `new Class()`), or remove pool: "threads"',
      '3:15 batch job run cannot run in a thread pool — move run to a queue without pool: "threads", or remove its batch option',
    ]);
  });

  it("refuses a custom backoff whose function is missing, not exported or of the wrong type", () => {
    const job = (fn: string) =>
      `${fn}\n@Queue("q")\nexport class Q {\n  @Job({ backoff: { type: "custom", name: "retryLater" } })\n  async run(p: T): Promise<void> {}\n}\n`;
    expect(diagnosticsOf(job(""))).toEqual([
      "6:37 jobs.ts has no function retryLater for this custom backoff — export function retryLater(attempt: number, error: unknown): number from jobs.ts",
    ]);
    expect(diagnosticsOf(job("function retryLater(attempt: number): number { return attempt; }"))).toEqual([
      "3:10 retryLater must be a named export: the generated worker imports it — write `export function retryLater`",
    ]);
    expect(diagnosticsOf(job("export function retryLater(attempt: string): number { return 1; }"))).toEqual([
      "3:17 backoff function retryLater must take (attempt: number, error: unknown) and return a number of ms — write `export function retryLater(attempt: number, error: unknown): number`",
    ]);
    expect(diagnosticsOf('@Queue("q")\nexport class Q {\n  @Job({ backoff: { type: "custom" } })\n  async run(p: T): Promise<void> {}\n}\n')).toEqual([
      '5:19 custom backoff needs the name of a function exported from jobs.ts — write { type: "custom", name: "myBackoff" }',
    ]);
  });
});
