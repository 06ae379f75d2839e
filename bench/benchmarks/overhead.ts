import { type Benchmark, type BenchResult, latencyRow, type Row, type TargetCheck } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";
import { streamRounds } from "../lib/stream-rounds.ts";

export const overheadBenchmark: Benchmark = {
  name: "overhead",
  measures:
    "the command's dispatch (gateway / signed request) → final message at the fake Discord / Slack, ÷ the prediction's created → completed at the emulator; a ~10 s prediction, no cold start, one per channel",
  async run(context): Promise<BenchResult> {
    // 10 tokens/s: 100 words take about 10 s (3 s in smoke runs).
    const words = context.smoke ? 30 : 100;
    const platforms = await streamRounds(context, {
      label: "overhead",
      rounds: context.smoke ? 1 : 2,
      channels: 5,
      words,
      tokensPerSecond: 10,
    });
    const rows: Row[] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    for (const run of platforms) {
      const done = run.timings.filter((t) => t.finalEditAt !== null);
      const ratios = done.map((t) => (t.finalEditAt! - t.dispatchedAt) / (t.completedAt - t.createdAt));
      const extraMs = done.map((t) => t.finalEditAt! - t.dispatchedAt - (t.completedAt - t.createdAt));
      const ratio = summarize(ratios);
      rows.push(
        latencyRow(
          `${run.platform}: prediction created → completed (emulator)`,
          summarize(done.map((t) => t.completedAt - t.createdAt)),
        ),
        latencyRow(`${run.platform}: user-visible time − prediction time`, summarize(extraMs)),
        latencyRow(`${run.platform}: overhead ratio (dispatch → final) ÷ (created → completed)`, ratio, "×"),
      );
      targets.push({
        target: `${run.platform}: ≤ 1.05 (median)${context.smoke ? " (smoke: a 3 s prediction, not comparable)" : ""}`,
        measured: ratio.median.toFixed(3),
        held: context.smoke ? null : ratio.median <= 1.05,
      });
      notes.push(`${run.platform}: ${done.length} of ${run.sent} jobs timed; ${run.rateLimitHits} 429s`);
    }
    return { rows, targets, notes };
  },
};
