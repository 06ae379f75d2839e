import { type Interaction, MessageFlags } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { handleAsk } from "./ask.ts";
import { CANCEL_PREFIX, handleCancelButton } from "./cancel-button.ts";
import { handleForgetMe } from "./forget-me.ts";
import { handleImagine, handleRegenerate, REGENERATE_PREFIX } from "./imagine.ts";
import { handleSettings } from "./settings.ts";
import { handleSpend } from "./spend.ts";
import { handleSpendLimit } from "./spend-limit.ts";
import { handleTranscribeMenu, handleTranscribeSwitch } from "./transcribe.ts";

/** Routes one interaction to its handler; anything not built yet gets a clear ephemeral answer. */
export async function routeInteraction(deps: DiscordAppDeps, interaction: Interaction): Promise<void> {
  // With the Guilds intent every server the bot is in is cached (discord.js holds events until they
  // are): one it lacks removed the bot but kept its commands, and must not be answered or charged.
  if (interaction.inGuild() && !interaction.inCachedGuild()) {
    if (interaction.isRepliable())
      await interaction.reply({ content: replies.notInServer, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.isChatInputCommand()) {
    if (interaction.commandName === "ask") return handleAsk(deps, interaction);
    if (interaction.commandName === "imagine") return handleImagine(deps, interaction);
    if (interaction.commandName === "spend") return handleSpend(deps, interaction);
    if (interaction.commandName === "spend-limit") return handleSpendLimit(deps, interaction);
    if (interaction.commandName === "replibot-settings") return handleSettings(deps, interaction);
    if (interaction.commandName === "transcribe") return handleTranscribeSwitch(deps, interaction);
    if (interaction.commandName === "forget-me") return handleForgetMe(deps, interaction);
  } else if (interaction.isMessageContextMenuCommand()) {
    if (interaction.commandName === "Transcribe") return handleTranscribeMenu(deps, interaction);
  } else if (interaction.isButton()) {
    if (interaction.customId.startsWith(CANCEL_PREFIX)) return handleCancelButton(deps, interaction);
    if (interaction.customId.startsWith(REGENERATE_PREFIX)) return handleRegenerate(deps, interaction);
  }
  if (interaction.isRepliable()) {
    await interaction.reply({ content: replies.notYetAvailable, flags: MessageFlags.Ephemeral });
  }
}
