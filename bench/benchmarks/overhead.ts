import { type Benchmark, type BenchResult, latencyRow } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";
import { streamRounds } from "../lib/stream-rounds.ts";

export const overheadBenchmark: Benchmark = {
  name: "overhead",
  measures:
    "gateway dispatch → final message at the fake Discord, ÷ the prediction's created → completed at the emulator; a ~10 s prediction, no cold start, one per channel",
  async run(context): Promise<BenchResult> {
    // 10 tokens/s: 100 words take about 10 s (3 s in smoke runs).
    const words = context.smoke ? 30 : 100;
    const run = await streamRounds(context, {
      label: "overhead",
      rounds: context.smoke ? 1 : 2,
      channels: 5,
      words,
      tokensPerSecond: 10,
    });
    const done = run.timings.filter((t) => t.finalEditAt !== null);
    const ratios = done.map((t) => (t.finalEditAt! - t.dispatchedAt) / (t.completedAt - t.createdAt));
    const extraMs = done.map((t) => t.finalEditAt! - t.dispatchedAt - (t.completedAt - t.createdAt));
    const predictionMs = summarize(done.map((t) => t.completedAt - t.createdAt));
    const ratio = summarize(ratios);
    return {
      rows: [
        latencyRow("prediction created → completed (emulator)", predictionMs),
        latencyRow("user-visible time − prediction time", summarize(extraMs)),
        latencyRow("overhead ratio (dispatch → final) ÷ (created → completed)", ratio, "×"),
      ],
      targets: [{ target: "≤ 1.05 (median)", measured: ratio.median.toFixed(3), held: ratio.median <= 1.05 }],
      notes: [`${done.length} of ${run.sent} jobs timed; ${run.rateLimitHits} 429s at the fake`],
    };
  },
};
