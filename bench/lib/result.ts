import type { Summary } from "./stats.ts";

/** One line of a benchmark's table: a latency series, a rate, or a single value such as a ratio. */
export interface Row {
  figure: string;
  unit: string;
  latency?: Summary;
  /** Per second. */
  rate?: number;
  value?: number;
}

/** A target from the issue and whether this run held it (null when the run could not tell). */
export interface TargetCheck {
  target: string;
  measured: string;
  held: boolean | null;
}

/** What a benchmark hands back to the runner. */
export interface BenchResult {
  rows: Row[];
  targets: TargetCheck[];
  notes: string[];
}

/** Where the shared services are and how a benchmark reports progress. */
export interface BenchContext {
  smoke: boolean;
  postgresUrl: string;
  redisUrl: string;
  /** A fresh migrated database, dropped by the runner after it has read the commit counters. */
  createDatabase(label: string): Promise<string>;
  log(message: string): void;
}

/** One row of the table. */
export interface Benchmark {
  name: string;
  /** From → to, under what load. */
  measures: string;
  run(context: BenchContext): Promise<BenchResult>;
}

/** A latency row from a summary. */
export function latencyRow(figure: string, latency: Summary, unit = "ms", rate?: number): Row {
  return { figure, unit, latency, ...(rate === undefined ? {} : { rate }) };
}

/** Formats a number for tables and target lines: integers as they are, others to 3 significant digits. */
export function fmt(value: number | undefined): string {
  if (value === undefined) return "";
  if (!Number.isFinite(value)) return "n/a";
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}
