/**
 * How inspecting commands print: `--json` writes one JSON document to stdout for programs; otherwise
 * an aligned table for people. Dates print as ISO strings in JSON and as ages in tables.
 */
import { CliError } from "./cli-error.js";
import { terminalJson, terminalText } from "./terminal-text.js";

/** One column: its header and how to show a row's cell. */
export interface Column<T> {
  header: string;
  cell(row: T): string;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${terminalJson(JSON.stringify(value, null, 2))}\n`);
}

export function printTable<T>(rows: T[], columns: Array<Column<T>>, empty = "(none)"): void {
  if (rows.length === 0) return void process.stdout.write(`${empty}\n`);
  // Cells hold data from Redis: control characters are shown escaped, never sent to the terminal.
  const cells = rows.map((row) => columns.map((c) => terminalText(c.cell(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${[line(columns.map((c) => c.header)), ...cells.map(line)].join("\n")}\n`);
}

/** "3s ago", "5m ago", "2h ago": how long ago a time was. */
export function age(date: Date | undefined, now = Date.now()): string {
  if (!date) return "-";
  const s = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

/** A progress bar on stderr for long operations, drawn only when stderr is a terminal. */
export function progress(label: string, total: number): { tick(done: number): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  const draw = (done: number) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
  };
  return {
    tick: (done) => tty && draw(done),
    end: () => tty && process.stderr.write("\n"),
  };
}

/** `--limit`: a whole number from 1 to 1 000 (a page of a list), else a usage error. */
export function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000) throw new CliError(`--limit must be a whole number from 1 to 1000, got ${value}: page on with --cursor`, 2);
  return n;
}
