import type { FakeClock } from "../clock.ts";

/** A fixed window: at most `limit` calls per `windowMs`, counted from the window's first call. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** Slack's method tiers (contract §2.7); `special` methods have their own rules or none. */
export type Tier = 1 | 2 | 3 | 4;

/** The limits the fake enforces; tests may change any field live (`limit: Infinity` switches one off). */
export interface RateLimitConfig {
  /** Per method per workspace, by tier. */
  tiers: Record<Tier, RateLimitRule>;
  /** Which tier each method is in; methods not listed are not limited. */
  methodTiers: Record<string, Tier>;
  /** `chat.postMessage`: a token bucket per channel, refilled `perSecond`, holding up to `burst`. */
  postMessagePerChannel: { perSecond: number; burst: number };
}

/** Slack's published limits (contract §2.7). */
export function slackRateLimits(): RateLimitConfig {
  return {
    tiers: {
      1: { limit: 1, windowMs: 60_000 },
      2: { limit: 20, windowMs: 60_000 },
      3: { limit: 50, windowMs: 60_000 },
      4: { limit: 100, windowMs: 60_000 },
    },
    methodTiers: {
      "chat.update": 3,
      "chat.delete": 3,
      "chat.postEphemeral": 4,
      "conversations.info": 3,
      "conversations.join": 3,
      "conversations.open": 3,
      "apps.connections.open": 3,
      "users.info": 4,
      // Tier 2 on both method pages (and the slack_kit scrape the contract uses for tiers).
      "usergroups.list": 2,
      "usergroups.users.list": 2,
      "files.getUploadURLExternal": 4,
      "files.completeUploadExternal": 4,
      "files.info": 4,
      "views.open": 4,
    },
    postMessagePerChannel: { perSecond: 1, burst: 5 },
  };
}

/** A 429 the fake sent. */
export interface RateLimitHit {
  at: number;
  method: string;
  teamId: string;
  /** `tier3`-style for tiered methods, `channel` for the chat.postMessage rule, `injected` for failNext. */
  rule: string;
  retryAfterSeconds: number;
}

/** Counts calls on the fake clock and decides 429s. */
export interface RateLimiter {
  /** Counts the call; returns the Retry-After in whole seconds when it is over a limit, else null. */
  check(call: { method: string; teamId: string; channelId?: string }): number | null;
  /** Records a 429 sent some other way (an injected fault), so every 429 is counted. */
  recordHit(hit: RateLimitHit): void;
  hits(): readonly RateLimitHit[];
}

/** Creates a limiter; `config` is read on every call. */
export function createRateLimiter(deps: { clock: FakeClock; config: RateLimitConfig }): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const hits: RateLimitHit[] = [];
  // WebClient parseInt()s Retry-After, so "0.4" would mean no wait: always send a whole number ≥ 1.
  const wholeSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const refuse = (method: string, teamId: string, rule: string, retryAfterSeconds: number) => {
    hits.push({ at: deps.clock.now(), method, teamId, rule, retryAfterSeconds });
    return retryAfterSeconds;
  };

  return {
    check({ method, teamId, channelId }) {
      const now = deps.clock.now();
      const config = deps.config;
      if (method === "chat.postMessage" && channelId) {
        const { perSecond, burst } = config.postMessagePerChannel;
        if (!Number.isFinite(perSecond)) return null;
        const key = `${teamId}:${channelId}`;
        const bucket = buckets.get(key) ?? { tokens: burst, at: now };
        bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
        bucket.at = now;
        buckets.set(key, bucket);
        if (bucket.tokens < 1) {
          return refuse(method, teamId, "channel", wholeSeconds(((1 - bucket.tokens) / perSecond) * 1000));
        }
        bucket.tokens -= 1;
        return null;
      }
      const tier = config.methodTiers[method];
      if (tier === undefined) return null;
      const rule = config.tiers[tier];
      if (!Number.isFinite(rule.limit)) return null;
      const key = `${method}:${teamId}`;
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + rule.windowMs };
        windows.set(key, window);
      }
      if (window.count >= rule.limit) {
        return refuse(method, teamId, `tier${tier}`, wholeSeconds(window.resetAt - now));
      }
      window.count += 1;
      return null;
    },
    recordHit(hit) {
      hits.push(hit);
    },
    hits: () => hits,
  };
}
