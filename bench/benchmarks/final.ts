import { type Benchmark, type BenchResult, latencyRow } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";
import { streamRounds } from "../lib/stream-rounds.ts";

export const finalBenchmark: Benchmark = {
  name: "final",
  measures:
    "the emulator marks the prediction succeeded → the final text edit (with its footer) reaches the fake Discord; one job per channel (5 channels)",
  async run(context): Promise<BenchResult> {
    const run = await streamRounds(context, {
      label: "final",
      rounds: context.smoke ? 1 : 8,
      channels: 5,
      words: 40,
      tokensPerSecond: 200,
    });
    const latenciesMs = run.timings.flatMap((t) =>
      t.finalEditAt === null ? [] : [t.finalEditAt - t.completedAt],
    );
    const latency = summarize(latenciesMs);
    const exact = run.timings.filter((t) => t.exact).length;
    return {
      rows: [latencyRow("succeeded → final text edit", latency)],
      targets: [
        { target: "p50 < 150 ms", measured: `${latency.median} ms`, held: latency.median < 150 },
        { target: "p95 < 500 ms", measured: `${latency.p95} ms`, held: latency.p95 < 500 },
        { target: "every final text exact", measured: `${exact} of ${run.sent}`, held: exact === run.sent },
      ],
      notes: [
        `${latenciesMs.length} of ${run.sent} jobs timed; ${run.rateLimitHits} 429s at the fake`,
        "the 1 MB image upload case is not measured yet (text answers only)",
      ],
    };
  },
};
