import { type BenchResult, fmt } from "./result.ts";

/** Pads every column to its widest cell; numbers right-aligned. */
function render(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const pad = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [pad(header), pad(widths.map((w) => "-".repeat(w))), ...lines.map(pad)].join("\n");
}

/** The benchmark's figures, its targets and its notes, as printed after each run. */
export function formatResult(name: string, result: BenchResult): string {
  const header = ["figure", "n", "median", "p95", "p99", "max", "rate/s", "value", "unit"];
  const lines = result.rows.map((row) => [
    row.figure,
    fmt(row.latency?.count),
    fmt(row.latency?.median),
    fmt(row.latency?.p95),
    fmt(row.latency?.p99),
    fmt(row.latency?.max),
    fmt(row.rate),
    fmt(row.value),
    row.unit,
  ]);
  const targets = result.targets.map(
    (t) => `  ${t.held === null ? "?   " : t.held ? "held" : "MISS"}  ${t.target}: ${t.measured}`,
  );
  return [
    `\n== ${name} ==`,
    render(header, lines),
    ...(targets.length > 0 ? ["targets:", ...targets] : []),
    ...result.notes.map((n) => `note: ${n}`),
  ].join("\n");
}
