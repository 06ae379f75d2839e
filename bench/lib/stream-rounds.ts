import { type AppStack, startAppStack } from "./app-stack.ts";
import { type AskSent, type AskTiming, answerText, ask, collectTimings } from "./discord-answers.ts";
import type { BenchContext } from "./result.ts";

let members = 0;

/**
 * Starts a stack (one worker, webhooks, Discord) and runs `rounds` rounds of one /ask per channel at
 * once, each round after the last has ended, so every stream has its channel to itself.
 */
export async function streamRounds(
  context: BenchContext,
  options: { label: string; rounds: number; channels: number; words: number; tokensPerSecond: number },
): Promise<{ timings: AskTiming[]; sent: number; rateLimitHits: number }> {
  const stack: AppStack = await startAppStack({
    databaseUrl: await context.createDatabase(options.label),
    redisUrl: context.redisUrl,
    workers: 1,
    webhooks: true,
    discord: true,
    slack: false,
    channels: options.channels,
    emulator: { tokensPerSecond: options.tokensPerSecond, coldStartMs: 0 },
  });
  const timings: AskTiming[] = [];
  let sent = 0;
  try {
    const expectedMs = (options.words / options.tokensPerSecond) * 1000;
    for (let round = 0; round < options.rounds; round++) {
      const batch: AskSent[] = stack.fakes.discordChannels.map((channelId) => {
        const index = members++;
        return ask(stack, channelId, `m${index}`, answerText(index, options.words));
      });
      sent += batch.length;
      timings.push(...(await collectTimings(stack, batch, expectedMs + 30_000)));
      context.log(`round ${round + 1}/${options.rounds}: ${timings.length}/${sent} answers timed`);
    }
    return { timings, sent, rateLimitHits: stack.fakes.discord.rateLimitHits() };
  } finally {
    await stack.close();
  }
}
