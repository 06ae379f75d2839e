/** Latency figures of one series, in the series' unit. */
export interface Summary {
  count: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile (the smallest value with at least `p`% of the values at or below it),
 * so a reported p99 is always a latency that was really observed, never an interpolation.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median, p95, p99 and max of `values` (NaN for an empty series). */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

/** Events per second over a span of milliseconds. */
export function ratePerSec(count: number, spanMs: number): number {
  return spanMs > 0 ? (count * 1000) / spanMs : Number.NaN;
}
