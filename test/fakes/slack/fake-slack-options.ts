import type { RateLimitConfig } from "./rate-limiter.ts";

/** Options of `createFakeSlack`; every one has a default. */
export interface FakeSlackOptions {
  /** The secret requests to the app are signed with; default random. */
  signingSecret?: string;
  /** The bot token of the default workspace; default `xoxb-…` random. */
  botToken?: string;
  /** The default workspace the bot token belongs to. */
  team?: { id?: string; name?: string };
  /** Scopes granted to bot tokens; default chat:write, commands, files:write, users:read, channels:read. */
  scopes?: readonly string[];
  /** OAuth client credentials `oauth.v2.access` checks. */
  clientId?: string;
  clientSecret?: string;
  /** Overrides of Slack's rate limits (see `slackRateLimits()`); also live on `fake.rateLimits`. */
  rateLimits?: Partial<RateLimitConfig>;
}

/** Without chat:write.public: the bot must be in a channel to post, the strict default. */
export const defaultScopes = [
  "chat:write",
  "commands",
  "files:write",
  "users:read",
  "channels:read",
] as const;
