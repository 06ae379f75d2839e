import { createHash } from "node:crypto";
import type { DiscordReplyTarget } from "@replibot/core";
import type { Budget } from "../governor/edit-governor.ts";

/** Discord's budgets (DESIGN.md, Platform limits), as windows a little inside the observed limits. */
export const discordLimits = {
  /** Interaction-webhook writes per token: about 5 per 2 s. */
  webhookPerToken: { limit: 5, windowMs: 2_000 },
  /** Interaction-webhook edits per channel: about 30 per minute; half is kept for final writes. */
  webhookPerChannel: { limit: 30, windowMs: 60_000, finalShare: 0.5 },
  /** Bot-token writes per channel: about 5 per 5 s. */
  channelMessages: { limit: 5, windowMs: 5_000 },
  /** Bot-token requests outside interactions: 50 per second per bot. */
  botGlobal: { limit: 50, windowMs: 1_000 },
};

/** A short, stable name for a token, so no token ever appears in a Redis key. */
export function tokenKey(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 24);
}

/** Whether writes to this target must use the bot token (the interaction token has expired or will soon). */
export function usesBotToken(target: DiscordReplyTarget, nowMs: number, marginMs = 30_000): boolean {
  return !target.interactionToken || nowMs >= target.tokenExpiresAtMs - marginMs;
}

/** The budgets one write to `target` counts against. */
export function discordBudgets(target: DiscordReplyTarget, nowMs: number): Budget[] {
  if (usesBotToken(target, nowMs)) {
    return [
      { key: `discord-channel-${target.channelId}`, ...discordLimits.channelMessages },
      { key: "discord-bot-global", ...discordLimits.botGlobal },
    ];
  }
  return [
    { key: `discord-webhook-${tokenKey(target.interactionToken ?? "")}`, ...discordLimits.webhookPerToken },
    { key: `discord-channel-webhooks-${target.channelId}`, ...discordLimits.webhookPerChannel },
  ];
}
