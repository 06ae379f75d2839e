import { type Benchmark, type BenchResult, latencyRow } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";
import { streamRounds } from "../lib/stream-rounds.ts";

export const firstTokenBenchmark: Benchmark = {
  name: "first-token",
  measures:
    "the emulator emits a prediction's first token → the first edit showing it reaches the fake Discord; one stream per channel (5 channels); under load: see governor",
  async run(context): Promise<BenchResult> {
    const run = await streamRounds(context, {
      label: "first_token",
      rounds: context.smoke ? 1 : 8,
      channels: 5,
      words: 40,
      tokensPerSecond: 200,
    });
    const latenciesMs = run.timings.flatMap((t) =>
      t.firstTokenEditAt === null ? [] : [t.firstTokenEditAt - t.firstTokenAt],
    );
    const latency = summarize(latenciesMs);
    return {
      rows: [latencyRow("first token emitted → first edit showing it", latency)],
      targets: [
        { target: "p50 < 150 ms", measured: `${latency.median} ms`, held: latency.median < 150 },
        { target: "p95 < 400 ms", measured: `${latency.p95} ms`, held: latency.p95 < 400 },
      ],
      notes: [
        `${latenciesMs.length} of ${run.sent} streams timed; ${run.rateLimitHits} 429s at the fake`,
        "emulator at 200 tokens/s, no cold start; first token time = started_at + metrics.time_to_first_token (emulator clock)",
      ],
    };
  },
};
