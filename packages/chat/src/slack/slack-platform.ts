import { randomBytes } from "node:crypto";
import {
  AppError,
  type Logger,
  type ReplyTarget,
  SLACK_PENDING_TS,
  SLACK_RESPONSE_TS,
  type SlackReplyTarget,
} from "@replibot/core";
import { ErrorCode, type RetryOptions, WebClient, WebClientEvent } from "@slack/web-api";
import type { ChatPlatform, OutgoingMessage } from "../chat-platform.ts";
import type { EditGovernor } from "../governor/edit-governor.ts";
import { slackTargetBudgets } from "./slack-budgets.ts";
import { slackLogger } from "./slack-logger.ts";
import { slackMessageBody } from "./slack-message-body.ts";
import { escapeSlackText } from "./slack-mrkdwn.ts";
import { postToResponseUrl } from "./slack-response-url.ts";

/** The longest message text written with chat.postMessage/chat.update; longer answers continue in the thread. */
export const SLACK_MESSAGE_LIMIT = 3_900;
/** The longest text of one response_url write: uses are scarce (5 in 30 minutes), so it takes several sections. */
export const SLACK_RESPONSE_URL_MESSAGE_LIMIT = 12_000;
/** WebClient's own default retries for up to 30 minutes; a job would rather fail and be retried. */
export const defaultSlackRetryConfig: RetryOptions = { retries: 3, minTimeout: 500, maxTimeout: 5_000 };

/** How long a workspace's bot token is trusted before it is looked up again (OAuth reinstalls). */
const TOKEN_RECHECK_MS = 30_000;

/** Options for {@link createSlackPlatform}. */
export interface SlackPlatformOptions {
  /** The bot token of a workspace: one fixed token, or an installation lookup in OAuth mode. */
  botToken(teamId: string): Promise<string>;
  /** Slack's Web API root (a fake one in tests). */
  apiUrl?: string;
  governor?: EditGovernor;
  /** Told of every 429 Slack answered (for the metrics). */
  onRateLimited?: () => void;
  /** How WebClient retries failed calls (429s included); {@link defaultSlackRetryConfig} otherwise. */
  retryConfig?: RetryOptions;
  /** Where WebClient logs; without one it writes to the console, unredacted. */
  logger?: Logger;
}

/** Slack's answers to a post in a channel the bot cannot write in. */
const cannotPost = new Set(["not_in_channel", "channel_not_found"]);

function slackTarget(target: ReplyTarget): SlackReplyTarget {
  if (target.platform !== "slack") throw new AppError("internal", `not a Slack target: ${target.platform}`);
  return target;
}

/** The reply's first line: who asked and what (a slash command itself is not shown in Slack). */
export function slackHeadingLine(target: SlackReplyTarget): string | undefined {
  if (!target.heading) return undefined;
  const who = target.userId ? `<@${target.userId}> ` : "";
  return `${who}${escapeSlackText(target.heading)}`;
}

function responseUrlOf(target: SlackReplyTarget): string {
  if (!target.responseUrl) throw new AppError("internal", "a Slack response_url target has no responseUrl");
  return target.responseUrl;
}

/** Whether `error` is Slack saying the bot cannot post in the channel. */
function isCannotPost(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  return code === ErrorCode.PlatformError && typeof data?.error === "string" && cannotPost.has(data.error);
}

function refuseFiles(message: OutgoingMessage): void {
  if (message.files && message.files.length > 0) {
    throw new AppError(
      "invalid_input",
      "the image cannot be posted in this channel: the bot is not a member, so it can only answer with text",
    );
  }
}

/**
 * Writes a job's messages through Slack's Web API: the placeholder is posted (when still pending) or
 * updated with chat.update, a long answer continues as replies in its thread, images are uploaded
 * into the channel once, and every 429's Retry-After on chat.update blocks the budget for every
 * process. Where the bot cannot post (a private channel it is not in, a DM between people), the
 * answer goes through the command's response_url instead, at most 5 writes in all.
 */
export function createSlackPlatform(options: SlackPlatformOptions): ChatPlatform {
  const clients = new Map<string, { client: WebClient; token: string; checkedAt: number }>();
  async function client(teamId: string): Promise<WebClient> {
    const known = clients.get(teamId);
    if (known && Date.now() - known.checkedAt < TOKEN_RECHECK_MS) return known.client;
    // A reinstall changes a workspace's token: look it up again now and then.
    const token = await options.botToken(teamId);
    if (known?.token === token) {
      known.checkedAt = Date.now();
      return known.client;
    }
    const created = new WebClient(token, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: options.retryConfig ?? defaultSlackRetryConfig,
      ...(options.logger ? { logger: slackLogger(options.logger) } : {}),
    });
    // WebClient tells which URL was limited (…/api/chat.update); it then waits and retries by itself.
    created.on(WebClientEvent.RATE_LIMITED, (retryAfterSecs: number, request: { url?: string }) => {
      options.onRateLimited?.();
      if (request.url?.endsWith("chat.update")) {
        void options.governor?.block(`slack-update-${teamId}`, retryAfterSecs * 1000).catch(() => {});
      }
    });
    clients.set(teamId, { client: created, token, checkedAt: Date.now() });
    return created;
  }

  async function postMessage(
    target: SlackReplyTarget,
    message: OutgoingMessage,
    threadTs?: string,
    headingLine?: string,
  ) {
    const posted = await (await client(target.teamId)).chat.postMessage({
      channel: target.channelId,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...slackMessageBody(message, headingLine),
    });
    if (!posted.ts) throw new AppError("upstream_error", "Slack did not return the new message's ts");
    return posted.ts;
  }

  /** Posts the pending placeholder; where the bot cannot post, the response_url takes the answer. */
  async function postPending(target: SlackReplyTarget, message: OutgoingMessage): Promise<SlackReplyTarget> {
    try {
      const ts = await postMessage(target, message, target.threadTs, slackHeadingLine(target));
      return { ...target, messageTs: ts };
    } catch (error) {
      if (!target.responseUrl || !isCannotPost(error)) throw error;
      refuseFiles(message);
      await postToResponseUrl(target.responseUrl, message, true, { headingLine: slackHeadingLine(target) });
      return { ...target, messageTs: SLACK_RESPONSE_TS };
    }
  }

  /** Uploads the message's files into the reply's channel (and thread), once per target. */
  async function uploadFiles(target: SlackReplyTarget, message: OutgoingMessage): Promise<SlackReplyTarget> {
    const files = message.files ?? [];
    if (files.length === 0 || target.filesPosted) return target;
    // files.getUploadURLExternal → POST to the upload URL → files.completeUploadExternal, for all files at once.
    await (await client(target.teamId)).filesUploadV2({
      channel_id: target.channelId,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      file_uploads: files.map((file) => ({
        file: Buffer.from(file.data),
        filename: file.name,
        title: file.name,
      })),
    });
    return { ...target, filesPosted: true };
  }

  return {
    platform: "slack",
    messageLimit: SLACK_MESSAGE_LIMIT,
    async downloadHeaders(anyTarget) {
      // url_private_download needs the workspace's bot token (files:read); the caller has checked
      // that the file is on one of SLACK_FILES_ORIGINS, so the token goes nowhere else.
      return { authorization: `Bearer ${await options.botToken(slackTarget(anyTarget).teamId)}` };
    },
    messageLimitFor(anyTarget) {
      return slackTarget(anyTarget).messageTs === SLACK_RESPONSE_TS
        ? SLACK_RESPONSE_URL_MESSAGE_LIMIT
        : SLACK_MESSAGE_LIMIT;
    },
    budgets(anyTarget, write) {
      return slackTargetBudgets(slackTarget(anyTarget), write);
    },
    async edit(anyTarget, slot, message) {
      const target = slackTarget(anyTarget);
      if (target.messageTs === SLACK_RESPONSE_TS) {
        // The URL replaces the message it last posted: the reply, or the last continuation.
        refuseFiles(message);
        const headingLine = slot.kind === "reply" ? slackHeadingLine(target) : undefined;
        await postToResponseUrl(responseUrlOf(target), message, true, { headingLine });
        return target;
      }
      if (slot.kind === "continuation") {
        await (await client(target.teamId)).chat.update({
          channel: target.channelId,
          ts: slot.messageId,
          ...slackMessageBody(message),
        });
        return target;
      }
      let written = target;
      if (target.messageTs === SLACK_PENDING_TS) {
        written = await postPending(target, message);
        if (written.messageTs === SLACK_RESPONSE_TS) return written;
      } else {
        await (await client(target.teamId)).chat.update({
          channel: target.channelId,
          ts: target.messageTs,
          ...slackMessageBody(message, slackHeadingLine(target)),
        });
      }
      return uploadFiles(written, message);
    },
    async createContinuation(anyTarget, message) {
      const target = slackTarget(anyTarget);
      if (target.messageTs === SLACK_RESPONSE_TS) {
        await postToResponseUrl(responseUrlOf(target), message, false);
        // Nothing names a response_url message; later edits replace the URL's latest message.
        return `${SLACK_RESPONSE_TS}-${randomBytes(6).toString("hex")}`;
      }
      if (target.messageTs === SLACK_PENDING_TS && !target.threadTs) {
        throw new AppError("internal", "a Slack answer cannot continue before its placeholder is posted");
      }
      return postMessage(target, message, target.threadTs ?? target.messageTs);
    },
    async post({ tenantExternalId, channelId }, message) {
      return postMessage(
        { platform: "slack", teamId: tenantExternalId, channelId, messageTs: SLACK_PENDING_TS },
        message,
      );
    },
  };
}
