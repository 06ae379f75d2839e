import {
  DiscordAPIError,
  type RateLimitData,
  REST,
  RESTEvents,
  type RequestData,
  RequestMethod,
  type RouteLike,
} from "@discordjs/rest";
import type { DiscordReplyTarget, ReplyTarget } from "@replibot/core";
import { AppError } from "@replibot/core";
import type { ChatPlatform, MessageSlot, OutgoingMessage } from "../chat-platform.ts";
import type { Budget, EditGovernor } from "../governor/edit-governor.ts";
import { discordBudgets, tokenKey, usesBotToken } from "./discord-budgets.ts";
import { discordFiles, discordMessageBody } from "./discord-message-body.ts";

/** Options for {@link createDiscordPlatform}. */
export interface DiscordPlatformOptions {
  /** @discordjs/rest, with the bot token set when there is one (needed after the 15-minute window). */
  rest: REST;
  /** Told when Discord says a bucket is empty, so every process waits instead of tripping a 429. */
  governor?: EditGovernor;
  now?: () => number;
}

// Discord's "Unknown Webhook" and "Invalid Webhook Token": the interaction token no longer works.
const expiredTokenCodes = new Set([10015, 50027]);

function discordTarget(target: ReplyTarget): DiscordReplyTarget {
  if (target.platform !== "discord")
    throw new AppError("internal", `not a Discord target: ${target.platform}`);
  return target;
}

/** The governor budgets a 429 from Discord speaks for, from the limited request's route and URL. */
export function budgetsOfRateLimit(
  info: Pick<RateLimitData, "global" | "route" | "url" | "majorParameter">,
): string[] {
  if (info.global) return ["discord-bot-global"];
  if (info.route.startsWith("/channels/")) return [`discord-channel-${info.majorParameter}`];
  const token = /\/webhooks\/\d+\/([^/?]+)/.exec(new URL(info.url).pathname)?.[1];
  return token ? [`discord-webhook-${tokenKey(token)}`] : [];
}

/** Options for {@link createDiscordRest}. */
export interface DiscordRestOptions {
  /** Discord's REST root; a fake one in tests. */
  api?: string;
  /** The bot token; interaction webhooks need none. */
  token?: string;
  governor?: EditGovernor;
  /** Told of every 429 Discord answered (for the metrics). */
  onRateLimited?: () => void;
}

/**
 * An @discordjs/rest client whose 429s (their Retry-After) and emptied buckets block the governor's
 * budgets, so every process waits them out, not just the one Discord told. The library still
 * retries the request itself.
 */
export function createDiscordRest(options: DiscordRestOptions): REST {
  const block = (info: RateLimitData, ms: number) => {
    for (const key of budgetsOfRateLimit(info)) void options.governor?.block(key, ms).catch(() => {});
  };
  const rest = new REST({
    ...(options.api ? { api: options.api } : {}),
    // Called on every 429 before the library waits and retries; false keeps it retrying.
    rejectOnRateLimit: (info) => {
      options.onRateLimited?.();
      block(info, info.retryAfter);
      return false;
    },
  });
  rest.on(RESTEvents.RateLimited, (info) => block(info, info.timeToReset));
  if (options.token) rest.setToken(options.token);
  return rest;
}

/** Writes a job's messages through Discord's REST API: interaction webhooks first, the bot token after. */
/** A message posted as a reply to a member's message, without pinging them. */
export function replyBody(message: OutgoingMessage, replyTo: string) {
  return {
    ...discordMessageBody(message),
    message_reference: { message_id: replyTo, fail_if_not_exists: false },
    allowed_mentions: { parse: [], replied_user: false },
  };
}

export function createDiscordPlatform(options: DiscordPlatformOptions): ChatPlatform {
  const { rest } = options;
  const now = options.now ?? Date.now;

  async function send(
    method: "PATCH" | "POST",
    route: RouteLike,
    message: OutgoingMessage,
    budgets: Budget[],
    extra: Partial<RequestData> = {},
  ): Promise<{ id: string }> {
    const response = await rest.queueRequest({
      method: method === "PATCH" ? RequestMethod.Patch : RequestMethod.Post,
      fullRoute: route,
      body: discordMessageBody(message),
      files: discordFiles(message),
      ...extra,
    });
    // An emptied bucket blocks every process until it resets, so the next write waits instead of a 429.
    if (options.governor && response.headers.get("x-ratelimit-remaining") === "0") {
      const resetAfterMs = Number(response.headers.get("x-ratelimit-reset-after") ?? "0") * 1000;
      await Promise.all(budgets.map((b) => options.governor!.block(b.key, resetAfterMs)));
    }
    return (await response.json()) as { id: string };
  }

  async function viaBotToken(target: DiscordReplyTarget, slot: MessageSlot, message: OutgoingMessage) {
    const budgets = discordBudgets({ ...target, tokenExpiresAtMs: 0 }, now());
    const messageId = slot.kind === "reply" ? target.messageId : slot.messageId;
    if (messageId === "@original") {
      // The reply's id was never learned: a new message in the channel takes its place.
      const created = await send("POST", `/channels/${target.channelId}/messages`, message, budgets, {
        ...(slot.kind === "reply" && target.replyTo ? { body: replyBody(message, target.replyTo) } : {}),
      });
      return { ...target, messageId: created.id };
    }
    await send("PATCH", `/channels/${target.channelId}/messages/${messageId}`, message, budgets);
    return target;
  }

  return {
    platform: "discord",
    messageLimit: 2_000,
    budgets: (target) => discordBudgets(discordTarget(target), now()),
    async edit(anyTarget, slot, message) {
      const target = discordTarget(anyTarget);
      if (usesBotToken(target, now())) return viaBotToken(target, slot, message);
      const id = slot.kind === "reply" ? "@original" : slot.messageId;
      try {
        const edited = await send(
          "PATCH",
          `/webhooks/${target.applicationId}/${target.interactionToken}/messages/${id}`,
          message,
          discordBudgets(target, now()),
          { auth: false },
        );
        return slot.kind === "reply" && target.messageId === "@original"
          ? { ...target, messageId: edited.id }
          : target;
      } catch (error) {
        if (
          error instanceof DiscordAPIError &&
          typeof error.code === "number" &&
          expiredTokenCodes.has(error.code)
        ) {
          return viaBotToken({ ...target, tokenExpiresAtMs: 1 }, slot, message);
        }
        throw error;
      }
    },
    async post({ channelId }, message) {
      const budgets = discordBudgets(
        {
          platform: "discord",
          applicationId: "",
          interactionToken: "",
          channelId,
          messageId: "",
          tokenExpiresAtMs: 1,
        },
        now(),
      );
      if (options.governor) await options.governor.acquire(budgets);
      return (await send("POST", `/channels/${channelId}/messages`, message, budgets)).id;
    },
    async createContinuation(anyTarget, message) {
      const target = discordTarget(anyTarget);
      if (!usesBotToken(target, now())) {
        try {
          const created = await send(
            "POST",
            `/webhooks/${target.applicationId}/${target.interactionToken}`,
            message,
            discordBudgets(target, now()),
            { auth: false, query: new URLSearchParams({ wait: "true" }) },
          );
          return created.id;
        } catch (error) {
          if (
            !(
              error instanceof DiscordAPIError &&
              typeof error.code === "number" &&
              expiredTokenCodes.has(error.code)
            )
          ) {
            throw error;
          }
        }
      }
      const budgets = discordBudgets({ ...target, tokenExpiresAtMs: 0 }, now());
      return (await send("POST", `/channels/${target.channelId}/messages`, message, budgets)).id;
    },
  };
}
