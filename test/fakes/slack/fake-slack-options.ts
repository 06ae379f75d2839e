import type { RateLimitConfig } from "./rate-limiter.ts";

/** Options of `createFakeSlack`; every one has a default. */
export interface FakeSlackOptions {
  /** The secret requests to the app are signed with; default random. */
  signingSecret?: string;
  /** The bot token of the default workspace; default `xoxb-…` random. */
  botToken?: string;
  /** The default workspace the bot token belongs to. */
  team?: { id?: string; name?: string };
  /**
   * The app's bot scopes: what the default bot token has and the most an install may request. Default
   * `defaultScopes`; add e.g. `im:write` (conversations.open), `usergroups:read` (`userGroupScope`, for
   * usergroups.list / usergroups.users.list) or `chat:write.public` here.
   */
  scopes?: readonly string[];
  /** The app-level token (`xapp-…`, scope `connections:write`) Socket Mode needs; default random. */
  appToken?: string;
  /** The Redirect URLs of the app's config (see `fake.redirectUrls`); default none. */
  redirectUrls?: string[];
  /** OAuth client credentials `oauth.v2.access` checks. */
  clientId?: string;
  clientSecret?: string;
  /**
   * The app config's bot events (Event Subscriptions). `userSays`/`userDeletes`/`echoBotPost` send only events
   * of these subscriptions, and only when the bot token has each one's scope (`botEventScopes`). Default
   * `defaultBotEvents`: `app_mention`, `message.channels`, `message.groups`, `message.im`.
   */
  botEvents?: readonly string[];
  /** Overrides of Slack's rate limits (see `slackRateLimits()`); also live on `fake.rateLimits`. */
  rateLimits?: Partial<RateLimitConfig>;
}

/**
 * Without chat:write.public: the bot must be in a channel to post, the strict default. With `files:read`, which
 * the contract's scope list asks for (§2.4) and `files.info` and file downloads need; event scopes are apart
 * (`messageEventScopes`).
 */
export const defaultScopes = [
  "chat:write",
  "commands",
  "files:read",
  "files:write",
  "users:read",
  "channels:read",
] as const;
