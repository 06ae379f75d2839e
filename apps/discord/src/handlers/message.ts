import {
  type DiscordReplyTarget,
  defaultModelFor,
  discordMessageKey,
  jobIdFromEvent,
  readTenantPolicy,
} from "@replibot/core";
import {
  conversationOfMessage,
  dropTurnsWithMessage,
  enqueueRun,
  insertJob,
  updateJobReply,
  upsertTenant,
} from "@replibot/db";
import { resolveCatalogModel } from "@replibot/replicate";
import { type Message, type PartialMessage, PermissionFlagsBits } from "discord.js";
import { ASK_PROMPT_MAX } from "../commands.ts";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { tenantOf } from "../tenant-of.ts";
import { placeholderWithCancel } from "./cancel-button.ts";
import { gateRefusal, policyChannelId, roleIdsOf } from "./gate.ts";
import { openAnswerThread } from "./start-job.ts";

/** The member's words without the mentions of the bot that addressed them. */
export function questionText(content: string, botId: string): string {
  return content.replaceAll(new RegExp(`<@!?${botId}>[ \t]*`, "g"), "").trim();
}

/** What a member's message means for Replibot: a new question, a follow-up, or nothing. */
type Asked = { conversationId?: string } | undefined;

async function whatWasAsked(
  deps: DiscordAppDeps,
  message: Message,
  botId: string,
  tenantId: string,
): Promise<Asked> {
  // A thread Replibot opened on an answer has that answer's id: everything in it continues.
  if (message.channel.isThread()) {
    const known = await conversationOfMessage(deps.db, tenantId, discordMessageKey(message.channelId));
    if (known) return { conversationId: known.conversationId };
  }
  const referenced = message.reference?.messageId;
  if (referenced) {
    const known = await conversationOfMessage(deps.db, tenantId, discordMessageKey(referenced));
    if (known) return { conversationId: known.conversationId };
  }
  // A direct message continues the conversation of that DM; a mention starts a new one.
  if (!message.inGuild()) return { conversationId: `discord-dm-${message.channelId}` };
  return message.mentions.users.has(botId) ? {} : undefined;
}

/**
 * A member's message: a mention of the bot asks like `/ask`, a reply to one of its answers continues
 * that conversation, and a direct message is answered when DM_TENANT names who pays. The answer is
 * a reply to the member's message, written with the bot token; its job id is the message's, so a
 * redelivered event queues nothing.
 */
export async function handleMessage(deps: DiscordAppDeps, message: Message, botId: string): Promise<void> {
  if (message.author.bot || message.system) return;
  const tenant = tenantOf(message.guildId, deps.config);
  const addressed =
    !message.inGuild() ||
    message.mentions.users.has(botId) ||
    Boolean(message.reference) ||
    message.channel.isThread();
  if (!addressed) return;
  if (!tenant.ok) {
    // Only a message meant for the bot gets the refusal; replies among members are not its business.
    if (!message.inGuild() || message.mentions.users.has(botId)) {
      await message.reply({ content: tenant.reply, allowedMentions: { repliedUser: false, parse: [] } });
    }
    return;
  }
  const row = await upsertTenant(deps.db, "discord", tenant.guildId, message.guild?.name);
  const asked = await whatWasAsked(deps, message, botId, row.id);
  if (!asked) return;
  const prompt = questionText(message.content, botId);
  const say = (content: string) =>
    message.reply({ content, allowedMentions: { repliedUser: false, parse: [] } }).then(() => undefined);
  if (!prompt) return say(replies.emptyMention);
  if (prompt.length > ASK_PROMPT_MAX) return say(replies.promptTooLong(ASK_PROMPT_MAX));
  const policy = readTenantPolicy(row.policy);
  const modelId = defaultModelFor(policy, "ask", deps.catalog.commands.ask.default);
  const resolved = resolveCatalogModel(deps.catalog, "ask", modelId);
  if (!resolved.ok) return say(replies.unknownModel("", resolved.choices));
  const refused = await gateRefusal(deps, {
    tenant: row,
    userId: message.author.id,
    kind: "ask",
    channelId: policyChannelId(message.channel, message.channelId),
    roleIds: roleIdsOf(message.member),
    isAdmin: message.member?.permissions.has(PermissionFlagsBits.ManageGuild) ?? false,
    prompt,
    modelId: resolved.model.id,
  });
  if (refused) return say(refused);

  const jobId = jobIdFromEvent("discord", message.id);
  let target: DiscordReplyTarget = {
    platform: "discord",
    applicationId: deps.config.applicationId,
    channelId: message.channelId,
    messageId: "@original",
    tokenExpiresAtMs: 0,
    replyTo: message.id,
  };
  const inserted = await insertJob(deps.db, {
    id: jobId,
    tenantId: row.id,
    userId: message.author.id,
    kind: "ask",
    model: resolved.model.id,
    input: { prompt, model: resolved.model.id, questionKey: discordMessageKey(message.id) },
    conversationId: asked.conversationId ?? jobId,
    replyTarget: target,
  });
  if (!inserted) return;
  const placeholder = await message.reply(placeholderWithCancel(replies.thinking, jobId));
  target = { ...target, messageId: placeholder.id };
  if (!asked.conversationId && row.answerInThreads) await openAnswerThread(deps, placeholder, prompt);
  await updateJobReply(deps.db, jobId, { replyTarget: target });
  try {
    await enqueueRun(deps.producer, deps.db, jobId);
    const ahead = await deps.producer.waitingAhead(`run-${jobId}`);
    if (ahead > 0) await deps.showQueued?.(jobId, target, ahead);
  } catch (error) {
    deps.logger.warn({ err: error, jobId }, "enqueue failed; the reconciler will retry");
  }
}

/** A deleted message leaves every conversation it was part of, so later context never shows it. */
export async function handleMessageDelete(deps: DiscordAppDeps, message: Message | PartialMessage) {
  const dropped = await dropTurnsWithMessage(deps.db, discordMessageKey(message.id));
  if (dropped > 0)
    deps.logger.info({ messageId: message.id, dropped }, "deleted message left its conversation");
}
