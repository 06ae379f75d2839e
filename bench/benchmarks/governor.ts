import { startAppStack } from "../lib/app-stack.ts";
import { governorLoad } from "../lib/governor-load.ts";
import { type Benchmark, type BenchResult, latencyRow } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";

const streams = 20;
const channels = 5;

export const governorBenchmark: Benchmark = {
  name: "governor",
  measures: `${streams} concurrent /ask streams across ${channels} Discord channels, two worker processes, against the fake's rate limits`,
  async run(context): Promise<BenchResult> {
    const durationMs = context.smoke ? 20_000 : 120_000;
    const tokensPerSecond = 20;
    // Long enough that 4 streams a channel fit Discord's 30 edits a minute per channel: shorter answers
    // ask for more finals than the channel allows, and the backlog (not the governor) sets the figures.
    const words = context.smoke ? 200 : 300;
    const stack = await startAppStack({
      databaseUrl: await context.createDatabase("governor"),
      redisUrl: context.redisUrl,
      workers: 2,
      webhooks: true,
      discord: true,
      slack: false,
      channels,
      emulator: { tokensPerSecond, coldStartMs: 0 },
    });
    try {
      context.log(`${durationMs / 1000} s of ${streams} streams`);
      const run = await governorLoad(stack, { streams, durationMs, words, tokensPerSecond });
      const hits = stack.fakes.discord.rateLimitHits();
      const finals = run.timings.filter((t) => t.finalEditAt !== null);
      const exact = run.timings.filter((t) => t.exact).length;
      const editRates = finals.flatMap((t) => {
        const spanS = (t.finalEditAt! - t.dispatchedAt) / 1000;
        return spanS > 0 ? [t.interimEdits / spanS] : [];
      });
      const firstToken = summarize(
        run.timings.flatMap((t) =>
          t.firstTokenEditAt === null ? [] : [t.firstTokenEditAt - t.firstTokenAt],
        ),
      );
      const final = summarize(finals.map((t) => t.finalEditAt! - t.completedAt));
      return {
        rows: [
          latencyRow("first token → first edit showing it, under load", firstToken),
          latencyRow("succeeded → final edit, under load", final),
          latencyRow("interim edits per message per second", summarize(editRates), "edits/s"),
          { figure: "429s at the fake Discord", unit: "count", value: hits },
        ],
        targets: [
          { target: "zero 429", measured: `${hits}`, held: hits === 0 },
          { target: "every final text exact", measured: `${exact} of ${run.sent}`, held: exact === run.sent },
          {
            target: "every final written",
            measured: `${run.sent - finals.length} of ${run.sent} had no final edit within the wait`,
            held: finals.length === run.sent,
          },
        ],
        notes: [
          `${run.sent} commands; emulator at ${tokensPerSecond} tokens/s, answers of ${words} words`,
          "Slack streams (and its `ratelimited` count) are not in this run yet: Discord only",
        ],
      };
    } finally {
      await stack.close();
    }
  },
};
