import { AppError, type ReplyTarget, type SlackReplyTarget } from "@replibot/core";
import { WebClient, WebClientEvent } from "@slack/web-api";
import type { ChatPlatform } from "../chat-platform.ts";
import type { EditGovernor } from "../governor/edit-governor.ts";
import { slackBudgets } from "./slack-budgets.ts";
import { SLACK_SECTION_LIMIT, slackMessageBody } from "./slack-message-body.ts";

/** Options for {@link createSlackPlatform}. */
export interface SlackPlatformOptions {
  /** The bot token of a workspace: one fixed token, or an installation lookup in OAuth mode. */
  botToken(teamId: string): Promise<string>;
  /** Slack's Web API root (a fake one in tests). */
  apiUrl?: string;
  governor?: EditGovernor;
}

function slackTarget(target: ReplyTarget): SlackReplyTarget {
  if (target.platform !== "slack") throw new AppError("internal", `not a Slack target: ${target.platform}`);
  return target;
}

/**
 * Writes a job's messages through Slack's Web API: the placeholder is updated with chat.update, a
 * long answer continues as replies in its thread, and every 429's Retry-After blocks the budget for
 * every process.
 */
export function createSlackPlatform(options: SlackPlatformOptions): ChatPlatform {
  const clients = new Map<string, WebClient>();
  async function client(teamId: string): Promise<WebClient> {
    const known = clients.get(teamId);
    if (known) return known;
    const created = new WebClient(await options.botToken(teamId), {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    });
    // WebClient tells which URL was limited (…/api/chat.update); it then waits and retries by itself.
    created.on(WebClientEvent.RATE_LIMITED, (retryAfterSecs: number, request: { url?: string }) => {
      if (request.url?.endsWith("chat.update")) {
        void options.governor?.block(`slack-update-${teamId}`, retryAfterSecs * 1000).catch(() => {});
      }
    });
    clients.set(teamId, created);
    return created;
  }

  return {
    platform: "slack",
    messageLimit: SLACK_SECTION_LIMIT,
    budgets(anyTarget, write) {
      const target = slackTarget(anyTarget);
      return slackBudgets(target.teamId, target.channelId, write);
    },
    async edit(anyTarget, slot, message) {
      const target = slackTarget(anyTarget);
      const ts = slot.kind === "reply" ? target.messageTs : slot.messageId;
      await (await client(target.teamId)).chat.update({
        channel: target.channelId,
        ts,
        ...slackMessageBody(message),
      });
      return target;
    },
    async createContinuation(anyTarget, message) {
      const target = slackTarget(anyTarget);
      const posted = await (await client(target.teamId)).chat.postMessage({
        channel: target.channelId,
        thread_ts: target.threadTs ?? target.messageTs,
        ...slackMessageBody(message),
      });
      if (!posted.ts) throw new AppError("upstream_error", "Slack did not return the new message's ts");
      return posted.ts;
    },
    async post({ tenantExternalId, channelId }, message) {
      const posted = await (await client(tenantExternalId)).chat.postMessage({
        channel: channelId,
        ...slackMessageBody(message),
      });
      if (!posted.ts) throw new AppError("upstream_error", "Slack did not return the new message's ts");
      return posted.ts;
    },
  };
}
