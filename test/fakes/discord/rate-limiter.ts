import { createHash } from "node:crypto";
import type { FakeClock } from "../clock.ts";

/** A fixed window: at most `limit` requests per `windowMs`, counted from the window's first request. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** The limits the fake enforces; each can be tightened or loosened (`limit: Infinity` switches one off). */
export interface RateLimitConfig {
  /** Requests per second per bot on bot-token routes; interaction routes are exempt, as on Discord. */
  globalPerSecond: number;
  /** `POST`/`PATCH`/`DELETE /channels/{id}/messages…`, counted per method, route and channel. */
  channelMessages: RateLimitRule;
  /** Interaction-webhook routes (`/webhooks/{app}/{token}…`), counted per method, route and token. */
  interactionWebhook: RateLimitRule;
  /** All interaction-webhook writes into one channel, whatever the token (Discord's "shared" cap). */
  interactionWebhookPerChannel: RateLimitRule;
  /** Every other bot route, per method, route and major id. */
  otherRoutes: RateLimitRule;
}

/** Discord's observed limits (contract §1.7, DESIGN "Platform limits"). */
export const discordRateLimits: RateLimitConfig = {
  globalPerSecond: 50,
  channelMessages: { limit: 5, windowMs: 5_000 },
  interactionWebhook: { limit: 5, windowMs: 2_000 },
  interactionWebhookPerChannel: { limit: 30, windowMs: 60_000 },
  otherRoutes: { limit: 50, windowMs: 1_000 },
};

/** Which family of limits a route belongs to. */
export type BucketClass = "channelMessages" | "interactionWebhook" | "otherRoutes" | "none";

/** One request as the limiter sees it. */
export interface RateLimitRequest {
  method: string;
  /** The route template, e.g. `/channels/:channel_id/messages`. */
  route: string;
  path: string;
  bucketClass: BucketClass;
  /** The top-level resource the bucket is keyed on: a channel id, a webhook token, a guild id. */
  majorKey: string;
  /** Set for interaction-webhook writes: the channel their shared cap counts against. */
  sharedChannelId?: string;
  /** Set when the request counts against the bot's global limit. */
  botToken?: string;
}

/** A 429 the fake sent. */
export interface RateLimitHit {
  at: number;
  method: string;
  path: string;
  route: string;
  scope: "user" | "global" | "shared";
  global: boolean;
  retryAfterMs: number;
}

/** The limiter's answer: headers for every response, and a refusal when the request is over a limit. */
export interface RateLimitVerdict {
  headers: Record<string, string>;
  refusal: { retryAfterMs: number; scope: RateLimitHit["scope"]; body: Record<string, unknown> } | null;
}

/** Counts requests per bucket on the fake clock and decides 429s. */
export interface RateLimiter {
  check(request: RateLimitRequest): RateLimitVerdict;
  /** Records a 429 sent some other way (an injected fault), so every 429 is counted. */
  recordHit(hit: RateLimitHit): void;
  hits(): readonly RateLimitHit[];
}

interface Window {
  count: number;
  resetAt: number;
}

/** Creates a limiter for one fake; `config` is read on every request, so tests may change it live. */
export function createRateLimiter(deps: { clock: FakeClock; config: RateLimitConfig }): RateLimiter {
  const windows = new Map<string, Window>();
  const hits: RateLimitHit[] = [];
  const current = (key: string, windowMs: number): Window => {
    const now = deps.clock.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      windows.set(key, window);
    }
    return window;
  };
  const seconds = (ms: number) => Number((ms / 1000).toFixed(3));

  const refuse = (
    request: RateLimitRequest,
    headers: Record<string, string>,
    retryAfterMs: number,
    scope: RateLimitHit["scope"],
  ): RateLimitVerdict => {
    const global = scope === "global";
    hits.push({
      at: deps.clock.now(),
      method: request.method,
      path: request.path,
      route: request.route,
      scope,
      global,
      retryAfterMs,
    });
    // Discord's Retry-After header is whole seconds; the body and Reset-After carry the exact value.
    const out: Record<string, string> = {
      ...headers,
      "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
      "x-ratelimit-scope": scope,
    };
    if (global) out["x-ratelimit-global"] = "true";
    return {
      headers: out,
      refusal: {
        retryAfterMs,
        scope,
        body: { message: "You are being rate limited.", retry_after: seconds(retryAfterMs), global },
      },
    };
  };

  return {
    check(request) {
      const config = deps.config;
      const now = deps.clock.now();
      if (request.botToken && Number.isFinite(config.globalPerSecond)) {
        const window = current(`global:${request.botToken}`, 1_000);
        if (window.count >= config.globalPerSecond)
          return refuse(request, {}, window.resetAt - now, "global");
      }
      if (request.bucketClass === "none") {
        if (request.botToken) current(`global:${request.botToken}`, 1_000).count++;
        return { headers: {}, refusal: null };
      }
      const rule = config[request.bucketClass];
      const hash = createHash("sha1")
        .update(`${request.bucketClass}:${request.method}:${request.route}`)
        .digest("hex");
      const bucketKey = `${hash}:${request.majorKey}`;
      const window = Number.isFinite(rule.limit) ? current(bucketKey, rule.windowMs) : null;
      const headersFor = (w: Window): Record<string, string> => ({
        "x-ratelimit-limit": String(rule.limit),
        "x-ratelimit-remaining": String(Math.max(0, rule.limit - w.count)),
        "x-ratelimit-reset": seconds(w.resetAt).toFixed(3),
        "x-ratelimit-reset-after": seconds(Math.max(0, w.resetAt - now)).toFixed(3),
        "x-ratelimit-bucket": hash.slice(0, 32),
      });
      if (window && window.count >= rule.limit)
        return refuse(request, headersFor(window), window.resetAt - now, "user");
      const shared = config.interactionWebhookPerChannel;
      const sharedWindow =
        request.sharedChannelId && Number.isFinite(shared.limit)
          ? current(`shared:${request.sharedChannelId}`, shared.windowMs)
          : null;
      if (sharedWindow && sharedWindow.count >= shared.limit) {
        // The route bucket still has room, so @discordjs/rest treats this as a sublimit and sleeps Retry-After.
        return refuse(request, window ? headersFor(window) : {}, sharedWindow.resetAt - now, "shared");
      }
      if (request.botToken) current(`global:${request.botToken}`, 1_000).count++;
      if (sharedWindow) sharedWindow.count++;
      if (!window) return { headers: {}, refusal: null };
      window.count++;
      return { headers: headersFor(window), refusal: null };
    },
    recordHit(hit) {
      hits.push(hit);
    },
    hits: () => hits,
  };
}
