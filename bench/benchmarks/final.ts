import { answerDrivers } from "../lib/answer-drivers.ts";
import { type ImageTiming, imageRounds } from "../lib/image-answers.ts";
import { type Benchmark, type BenchResult, latencyRow, type Row, type TargetCheck } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";
import { streamRounds } from "../lib/stream-rounds.ts";

export const finalBenchmark: Benchmark = {
  name: "final",
  measures:
    "the emulator marks the prediction succeeded → the final text edit (with its footer), or the upload of a ~1 MB image (SDXL 1024² PNG; our download and upload included), reaches the fake Discord / Slack; one job per channel (5 channels)",
  async run(context): Promise<BenchResult> {
    const rounds = context.smoke ? 1 : 8;
    const images: { platform: string; timings: ImageTiming[]; sent: number }[] = [];
    const platforms = await streamRounds(context, {
      label: "final",
      rounds,
      channels: 5,
      words: 40,
      tokensPerSecond: 200,
      // Photo-like grain: the emulator's 1024² PNGs weigh about 1 MB, as real SDXL output does.
      imageGrain: 16,
      after: async (stack) => {
        for (const driver of answerDrivers(stack, { discord: true, slack: true })) {
          const run = await imageRounds(stack, driver, context.smoke ? 1 : 4, context.log);
          images.push({ platform: driver.platform, ...run });
        }
      },
    });
    const rows: Row[] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    const check = (label: string, latenciesMs: number[]) => {
      const latency = summarize(latenciesMs);
      rows.push(latencyRow(label, latency));
      targets.push(
        { target: `${label}: p50 < 150 ms`, measured: `${latency.median} ms`, held: latency.median < 150 },
        { target: `${label}: p95 < 500 ms`, measured: `${latency.p95} ms`, held: latency.p95 < 500 },
      );
    };
    for (const run of platforms) {
      check(
        `${run.platform}: succeeded → final text edit`,
        run.timings.flatMap((t) => (t.finalEditAt === null ? [] : [t.finalEditAt - t.completedAt])),
      );
      const exact = run.timings.filter((t) => t.exact).length;
      targets.push({
        target: `${run.platform}: every final text exact`,
        measured: `${exact} of ${run.sent}`,
        held: exact === run.sent,
      });
      notes.push(
        `${run.platform}: ${run.timings.length} of ${run.sent} text jobs timed; ${run.rateLimitHits} 429s`,
      );
    }
    for (const run of images) {
      const done = run.timings.filter((t) => t.uploadedAt !== null);
      check(
        `${run.platform}: succeeded → 1 MB image uploaded`,
        done.map((t) => t.uploadedAt! - t.completedAt),
      );
      targets.push({
        target: `${run.platform}: every image uploaded`,
        measured: `${done.length} of ${run.sent}`,
        held: done.length === run.sent,
      });
      const sizes = done.map((t) => t.bytes).filter((b) => b > 0);
      notes.push(
        `${run.platform}: images of ${sizes.length ? `${Math.min(...sizes).toLocaleString("en-US")}–${Math.max(...sizes).toLocaleString("en-US")}` : "unknown"} bytes uploaded`,
      );
    }
    return { rows, targets, notes };
  },
};
