import { type Benchmark, type BenchResult, latencyRow, type Row, type TargetCheck } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";
import { streamRounds } from "../lib/stream-rounds.ts";

export const firstTokenBenchmark: Benchmark = {
  name: "first-token",
  measures:
    "the emulator emits a prediction's first token → the first edit showing it reaches the fake Discord / Slack; one stream per channel (5 channels); under load: see governor",
  async run(context): Promise<BenchResult> {
    const platforms = await streamRounds(context, {
      label: "first_token",
      rounds: context.smoke ? 1 : 8,
      channels: 5,
      words: 40,
      tokensPerSecond: 200,
    });
    const rows: Row[] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    for (const run of platforms) {
      const latenciesMs = run.timings.flatMap((t) =>
        t.firstTokenEditAt === null ? [] : [t.firstTokenEditAt - t.firstTokenAt],
      );
      const latency = summarize(latenciesMs);
      rows.push(latencyRow(`${run.platform}: first token emitted → first edit showing it`, latency));
      targets.push(
        {
          target: `${run.platform}: p50 < 150 ms`,
          measured: `${latency.median} ms`,
          held: latency.median < 150,
        },
        { target: `${run.platform}: p95 < 400 ms`, measured: `${latency.p95} ms`, held: latency.p95 < 400 },
      );
      notes.push(
        `${run.platform}: ${latenciesMs.length} of ${run.sent} streams timed; ${run.rateLimitHits} 429s`,
      );
    }
    notes.push(
      "emulator at 200 tokens/s, no cold start; first token time = started_at + metrics.time_to_first_token (emulator clock)",
    );
    return { rows, targets, notes };
  },
};
