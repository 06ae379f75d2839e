import { answerDrivers } from "../lib/answer-drivers.ts";
import { startAppStack } from "../lib/app-stack.ts";
import { governorLoad } from "../lib/governor-load.ts";
import { type Benchmark, type BenchResult, latencyRow, type Row, type TargetCheck } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";

const streams = 20;
const channels = 5;

export const governorBenchmark: Benchmark = {
  name: "governor",
  measures: `${streams} concurrent /ask streams across ${channels} channels, two worker processes, against the fakes' rate limits: Discord, then Slack`,
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
      slack: true,
      channels,
      emulator: { tokensPerSecond, coldStartMs: 0 },
    });
    const rows: Row[] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    try {
      for (const driver of answerDrivers(stack, { discord: true, slack: true })) {
        context.log(`${driver.platform}: ${durationMs / 1000} s of ${streams} streams`);
        const before = driver.rateLimitHits();
        const run = await governorLoad(driver, { streams, durationMs, words, tokensPerSecond });
        const hits = driver.rateLimitHits() - before;
        const finals = run.timings.filter((t) => t.finalEditAt !== null);
        const exact = run.timings.filter((t) => t.exact).length;
        const editRates = finals.flatMap((t) => {
          const spanS = (t.finalEditAt! - t.dispatchedAt) / 1000;
          return spanS > 0 ? [t.interimEdits / spanS] : [];
        });
        const p = driver.platform;
        const limited =
          p === "Discord" ? "429s at the fake Discord" : "`ratelimited` answers at the fake Slack";
        rows.push(
          latencyRow(
            `${p}: first token → first edit showing it, under load`,
            summarize(
              run.timings.flatMap((t) =>
                t.firstTokenEditAt === null ? [] : [t.firstTokenEditAt - t.firstTokenAt],
              ),
            ),
          ),
          latencyRow(
            `${p}: succeeded → final edit, under load`,
            summarize(finals.map((t) => t.finalEditAt! - t.completedAt)),
          ),
          latencyRow(`${p}: interim edits per message per second`, summarize(editRates), "edits/s"),
          { figure: `${p}: ${limited}`, unit: "count", value: hits },
        );
        targets.push(
          {
            target: `${p}: zero ${p === "Discord" ? "429" : "ratelimited"}`,
            measured: `${hits}`,
            held: hits === 0,
          },
          {
            target: `${p}: every final text exact`,
            measured: `${exact} of ${run.sent}`,
            held: exact === run.sent,
          },
          {
            target: `${p}: every final written`,
            measured: `${run.sent - finals.length} of ${run.sent} had no final edit within the wait`,
            held: finals.length === run.sent,
          },
        );
        notes.push(
          `${p}: ${run.sent} commands; emulator at ${tokensPerSecond} tokens/s, answers of ${words} words`,
        );
      }
      return { rows, targets, notes };
    } finally {
      await stack.close();
    }
  },
};
