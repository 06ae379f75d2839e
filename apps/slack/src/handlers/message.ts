import { defaultModelFor, readTenantPolicy, slackMessageKey } from "@replibot/core";
import { conversationOfMessage, dropTurnsWithMessage, upsertTenant } from "@replibot/db";
import type { WebClient } from "@slack/web-api";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { slackText } from "../slack-text.ts";
import { checkAsk } from "./ask.ts";
import { slackGateRefusal } from "./gate.ts";
import { tenantAllowed } from "./start-job.ts";

/** A member's message as Slack's `message` and `app_mention` events carry it. */
export interface SlackMessageEvent {
  teamId: string;
  channelId: string;
  userId: string;
  text: string;
  ts: string;
  threadTs?: string;
  /** `im` for a direct message to the bot. */
  channelType?: string;
  /** Whether it arrived as `app_mention` (the bot was named in it). */
  mention: boolean;
}

/** The member's words without the mentions of the bot that addressed them. */
export function slackQuestionText(text: string, botUserId: string): string {
  return text.replaceAll(new RegExp(`<@${botUserId}(\\|[^>]*)?>[ \t]*`, "g"), "").trim();
}

/**
 * A member's message: a mention asks like `/ask` (answered in its thread), a reply in the thread of
 * one of Replibot's answers continues that conversation, and a direct message is answered when
 * DM_TENANT names who pays. A mention in a known thread comes as two events (`message` and
 * `app_mention`): both map to one job id (the channel and ts), so it is answered once.
 */
export async function handleSlackMessage(
  deps: SlackAppDeps,
  client: WebClient,
  event: SlackMessageEvent,
  botUserId: string,
): Promise<void> {
  const dm = event.channelType === "im";
  const payer = dm ? deps.config.dmTenant : event.teamId;
  const tell = async (text: string) => {
    await client.chat.postEphemeral({ channel: event.channelId, user: event.userId, text }).catch(() => {});
  };
  if (!payer) return tell(replies.dmRefused);
  if (!tenantAllowed(deps, payer)) return event.mention || dm ? tell(replies.tenantNotAllowed) : undefined;
  const tenant = await upsertTenant(deps.db, "slack", payer);
  let conversationId: string | undefined;
  if (dm) {
    conversationId = `slack-dm-${event.teamId}-${event.channelId}`;
  } else if (event.threadTs && event.threadTs !== event.ts) {
    const root = slackMessageKey(event.teamId, event.channelId, event.threadTs);
    conversationId = (await conversationOfMessage(deps.db, tenant.id, root))?.conversationId;
  }
  if (!conversationId && !event.mention && !dm) return;
  const prompt = slackQuestionText(event.text, botUserId);
  if (!prompt) return tell(replies.emptyMention);
  const checked = checkAsk(deps, prompt, {
    conversationId,
    questionKey: slackMessageKey(event.teamId, event.channelId, event.ts),
  });
  if (!checked.ok) return tell(checked.reason);
  const policy = readTenantPolicy(tenant.policy);
  const model = defaultModelFor(policy, "ask", checked.model);
  const refused = await slackGateRefusal(deps, client, {
    tenant,
    teamId: event.teamId,
    userId: event.userId,
    channelId: event.channelId,
    kind: "ask",
    prompt,
    modelId: model,
  });
  if (refused) return tell(slackText(refused));
  await checked.start(
    {
      client,
      teamId: event.teamId,
      channelId: event.channelId,
      userId: event.userId,
      triggerId: `${event.channelId}-${event.ts}`,
      // In a channel the answer goes in the message's thread; a DM reads as one conversation.
      threadTs: dm ? event.threadTs : (event.threadTs ?? event.ts),
      tenantExternalId: payer,
      tell,
    },
    model,
  );
}

/** A deleted message leaves every conversation it was part of. */
export async function handleSlackDelete(deps: SlackAppDeps, teamId: string, channelId: string, ts: string) {
  const dropped = await dropTurnsWithMessage(deps.db, slackMessageKey(teamId, channelId, ts));
  if (dropped > 0) deps.logger.info({ dropped }, "deleted message left its conversation");
}
