import type { AppStack } from "./app-stack.ts";
import { type AskSent, type AskTiming, ask, collectTimings } from "./discord-answers.ts";
import { askSlack, collectSlackTimings } from "./slack-answers.ts";

/** One platform as the answer benchmarks drive it: type /ask, then read the timings at its fake. */
export interface AnswerDriver {
  platform: "Discord" | "Slack";
  channels: string[];
  ask(channelId: string, member: string, answer: string): Promise<AskSent>;
  collect(sent: AskSent[], timeoutMs: number): Promise<AskTiming[]>;
  /** 429s (Discord) or `ratelimited` answers (Slack) the fake gave so far. */
  rateLimitHits(): number;
  /**
   * How long rounds of one answer per channel wait for each other: Slack allows ~50 chat.update a
   * minute per workspace (Tier 3), and a round of five answers spends 10–15, so rounds closer together
   * measure the wait for that budget rather than our latency. Discord's limits are per channel.
   */
  roundGapMs: number;
  /** The hits by method and rule, e.g. "chat.update tier3 × 2"; empty when none. */
  rateLimitSummary(): string;
}

/** The drivers of the platforms the stack runs, Discord first. */
export function answerDrivers(
  stack: AppStack,
  platforms: { discord: boolean; slack: boolean },
): AnswerDriver[] {
  const drivers: AnswerDriver[] = [];
  if (platforms.discord) {
    drivers.push({
      platform: "Discord",
      channels: stack.fakes.discordChannels,
      roundGapMs: 0,
      ask: async (channelId, member, answer) => ask(stack, channelId, member, answer),
      collect: (sent, timeoutMs) => collectTimings(stack, sent, timeoutMs),
      rateLimitHits: () => stack.fakes.discord.rateLimitHits(),
      rateLimitSummary: () => {
        const hits = stack.fakes.discord.rateLimitHits();
        return hits ? `${hits} × 429` : "";
      },
    });
  }
  if (platforms.slack) {
    drivers.push({
      platform: "Slack",
      channels: stack.fakes.slackChannels,
      roundGapMs: 15_000,
      ask: (channelId, member, answer) => askSlack(stack, channelId, member, answer),
      collect: (sent, timeoutMs) => collectSlackTimings(stack, sent, timeoutMs),
      rateLimitHits: () => stack.fakes.slack.rateLimitLog().length,
      rateLimitSummary: () => {
        const counts = new Map<string, number>();
        for (const hit of stack.fakes.slack.rateLimitLog()) {
          const key = `${hit.method} (${hit.rule}, retry after ${hit.retryAfterSeconds} s)`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        return [...counts].map(([key, n]) => `${key} × ${n}`).join("; ");
      },
    });
  }
  return drivers;
}
