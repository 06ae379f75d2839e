import { transcribeStatusText } from "@replibot/chat";
import { autoTranscribeOn, recordSettingChange, setAutoTranscribe, upsertTenant } from "@replibot/db";
import {
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { tenantOf } from "../tenant-of.ts";
import { asAdmin } from "./admin.ts";
import { gateRefusal, policyChannelId, roleIdsOf } from "./gate.ts";
import { audioAttachments, startTranscription } from "./voice-note.ts";

/**
 * The "Transcribe" message menu: any member, on any message with a recording, anywhere the bot is;
 * works without the Message Content intent, since Discord hands the chosen message to the bot.
 * The member is told privately where the transcript will be.
 */
export async function handleTranscribeMenu(
  deps: DiscordAppDeps,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const tenant = tenantOf(interaction.guildId, deps.config);
  if (!tenant.ok) {
    await interaction.reply({
      content: tenant.reply,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
    return;
  }
  const message = interaction.targetMessage;
  const [attachment] = audioAttachments(message, true);
  if (!attachment) {
    await interaction.reply({ content: replies.noAudio, flags: MessageFlags.Ephemeral });
    return;
  }
  try {
    const refused = await gateRefusal(deps, {
      tenant: await upsertTenant(deps.db, "discord", tenant.guildId, interaction.guild?.name),
      userId: interaction.user.id,
      kind: "transcribe",
      channelId: policyChannelId(interaction.channel, interaction.channelId),
      roleIds: roleIdsOf(interaction.member),
      isAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    });
    if (refused) {
      await interaction.reply({
        content: refused,
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
      return;
    }
  } catch (error) {
    deps.logger.error({ err: error, interaction: interaction.id }, "could not check the request");
    await interaction.reply({ content: replies.databaseDown, flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    const started = await startTranscription(deps, {
      eventId: interaction.id,
      message,
      attachment,
      userId: interaction.user.id,
      guildId: tenant.guildId,
    });
    await interaction.editReply(
      started ? replies.transcribingIn(started.channelId) : replies.alreadyFinished,
    );
  } catch (error) {
    deps.logger.error({ err: error, interaction: interaction.id }, "could not start a transcription");
    await interaction.editReply(replies.transcribeFailedToStart);
  }
}

/** `/transcribe on|off|status`: admins only, for the channel the command is used in. */
export async function handleTranscribeSwitch(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  await asAdmin(deps, interaction, async ({ tenantId, say }) => {
    const channelId = interaction.channelId;
    const readsMessages = deps.messageContent?.() ?? false;
    const subcommand = interaction.options.getSubcommand();
    if (subcommand === "on" || subcommand === "off") {
      await setAutoTranscribe(deps.db, tenantId, channelId, subcommand === "on", interaction.user.id);
      await recordSettingChange(deps.db, {
        tenantId,
        actorId: interaction.user.id,
        setting: "transcribe",
        after: { channelId, on: subcommand === "on" },
      });
    }
    const on = await autoTranscribeOn(deps.db, "discord", interaction.guildId ?? "", channelId);
    await say(
      transcribeStatusText({ on, channelMention: `<#${channelId}>`, readsMessages, platform: "discord" }),
    );
  });
}
