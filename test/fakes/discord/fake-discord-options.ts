import { type IntentName, intentBits, privilegedIntents } from "./intents.ts";
import { discordMessageLimits, type MessageLimits } from "./message-payload.ts";
import { discordRateLimits, type RateLimitConfig } from "./rate-limiter.ts";
import type { InteractionTimings } from "./route-deps.ts";

/** How to set up a fake Discord; every field has Discord's behaviour as its default. */
export interface FakeDiscordOptions {
  botToken?: string;
  /** Also the bot user's id, as for every modern Discord application. */
  applicationId?: string;
  botUsername?: string;
  /** Privileged intents not switched on in the "Developer Portal": Identify with any of them is closed with 4014. */
  refuseIntents?: IntentName[] | number;
  /** Hello's heartbeat interval (Discord: 41,250 ms). */
  heartbeatIntervalMs?: number;
  /** Rate limits to override; the rest stay at Discord's values. */
  rateLimits?: Partial<RateLimitConfig>;
  messageLimits?: Partial<MessageLimits>;
  interactionTimings?: Partial<InteractionTimings>;
  /** Refuse to deliver commands that were never registered, as Discord would (default true). */
  requireRegisteredCommands?: boolean;
  /** How long signed CDN links work (Discord: about 24 h). */
  cdnUrlTtlMs?: number;
}

/** The settings that have defaults, filled in. */
export interface ResolvedOptions {
  /** Only privileged bits count: Discord cannot refuse an ordinary intent. */
  refusedIntents: number;
  rateLimits: RateLimitConfig;
  limits: MessageLimits;
  timings: InteractionTimings;
}

/** Fills in Discord's values for every setting a test left out. */
export function resolveOptions(options: FakeDiscordOptions): ResolvedOptions {
  return {
    refusedIntents: intentBits(options.refuseIntents ?? 0) & privilegedIntents,
    rateLimits: { ...discordRateLimits, ...options.rateLimits },
    limits: { ...discordMessageLimits, ...options.messageLimits },
    timings: { callbackDeadlineMs: 3_000, tokenLifetimeMs: 15 * 60_000, ...options.interactionTimings },
  };
}
