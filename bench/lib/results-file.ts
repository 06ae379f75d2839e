import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./result.ts";

/** bench/results.json: every run appended, so figures can be compared across commits and machines. */
export const resultsPath = fileURLToPath(new URL("../results.json", import.meta.url));

/** One benchmark's entry in results.json. */
export interface RecordedRun extends BenchResult {
  benchmark: string;
  date: string;
  command: string;
  smoke: boolean;
  machine: Record<string, unknown>;
  stores: { redisOpsPerSec: number; pgCommitsPerSec: number };
  durationMs: number;
}

/** Appends runs to results.json (a JSON array), creating it when missing. */
export function appendRuns(runs: RecordedRun[]): void {
  const previous: unknown = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, "utf8")) : [];
  const all = Array.isArray(previous) ? previous : [];
  writeFileSync(resultsPath, `${JSON.stringify([...all, ...runs], null, 2)}\n`);
}
