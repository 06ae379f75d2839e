import { answerDrivers } from "./answer-drivers.ts";
import { type AppStack, startAppStack } from "./app-stack.ts";
import { type AskSent, type AskTiming, answerText } from "./discord-answers.ts";
import { sleep } from "./load.ts";
import type { BenchContext } from "./result.ts";

let members = 0;

/** One platform's rounds: every answer's timings, how many were sent, and the fake's 429s. */
export interface PlatformRounds {
  platform: "Discord" | "Slack";
  timings: AskTiming[];
  sent: number;
  rateLimitHits: number;
}

/**
 * Starts a stack (one worker, webhooks, Discord and Slack) and, for each platform in turn, runs
 * `rounds` rounds of one /ask per channel at once, each round after the last has ended, so every
 * stream has its channel to itself.
 */
export async function streamRounds(
  context: BenchContext,
  options: {
    label: string;
    rounds: number;
    channels: number;
    words: number;
    tokensPerSecond: number;
    /** Runs after the text rounds, on the same stack (the final benchmark's image uploads). */
    after?: (stack: AppStack) => Promise<void>;
    imageGrain?: number;
  },
): Promise<PlatformRounds[]> {
  const stack: AppStack = await startAppStack({
    databaseUrl: await context.createDatabase(options.label),
    redisUrl: context.redisUrl,
    workers: 1,
    webhooks: true,
    discord: true,
    slack: true,
    channels: options.channels,
    emulator: {
      tokensPerSecond: options.tokensPerSecond,
      coldStartMs: 0,
      imageStepMs: 10,
      imageGrain: options.imageGrain ?? 0,
    },
  });
  const results: PlatformRounds[] = [];
  try {
    const expectedMs = (options.words / options.tokensPerSecond) * 1000;
    for (const driver of answerDrivers(stack, { discord: true, slack: true })) {
      const timings: AskTiming[] = [];
      let sent = 0;
      for (let round = 0; round < options.rounds; round++) {
        if (round > 0) await sleep(driver.roundGapMs);
        const batch: AskSent[] = await Promise.all(
          driver.channels.map((channelId) => {
            const index = members++;
            return driver.ask(channelId, `m${index}`, answerText(index, options.words));
          }),
        );
        sent += batch.length;
        timings.push(...(await driver.collect(batch, expectedMs + 30_000)));
        context.log(
          `${driver.platform} round ${round + 1}/${options.rounds}: ${timings.length}/${sent} answers timed`,
        );
      }
      results.push({ platform: driver.platform, timings, sent, rateLimitHits: driver.rateLimitHits() });
    }
    await options.after?.(stack);
    return results;
  } finally {
    await stack.close();
  }
}
