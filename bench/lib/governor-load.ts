import type { AnswerDriver } from "./answer-drivers.ts";
import { type AskTiming, answerText } from "./discord-answers.ts";

let members = 0;

/**
 * `streams` lanes on one platform, each typing /ask in channel (lane mod its channels) and, once its
 * final message has landed, the next, until `durationMs` has passed: that many streams always run.
 */
export async function governorLoad(
  driver: AnswerDriver,
  options: { streams: number; durationMs: number; words: number; tokensPerSecond: number },
): Promise<{ timings: AskTiming[]; sent: number }> {
  const timings: AskTiming[] = [];
  const channels = driver.channels;
  const deadline = Date.now() + options.durationMs;
  const streamMs = (options.words / options.tokensPerSecond) * 1000;
  let sent = 0;
  const lane = async (laneIndex: number) => {
    while (Date.now() < deadline) {
      const index = members++;
      const command = await driver.ask(
        channels[laneIndex % channels.length]!,
        `g${index}`,
        answerText(index, options.words),
      );
      sent++;
      // A stream that never ends is counted as missing, not waited for forever.
      timings.push(...(await driver.collect([command], streamMs * 4 + 30_000)));
    }
  };
  await Promise.all(Array.from({ length: options.streams }, (_, i) => lane(i)));
  return { timings, sent };
}
