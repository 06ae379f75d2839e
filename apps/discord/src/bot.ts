import type { Logger } from "@replibot/core";
import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import type { DiscordAppDeps } from "./deps.ts";
import { guildLeft } from "./handlers/guild-left.ts";
import { routeInteraction } from "./handlers/interaction-router.ts";
import { handleMessage, handleMessageDelete } from "./handlers/message.ts";
import { handleVoiceNote } from "./handlers/voice-note.ts";

/** Options for {@link startDiscordBot}. */
export interface StartDiscordBotOptions {
  deps: DiscordAppDeps;
  token: string;
  /** Discord's REST root (a fake one in tests); the gateway URL comes from GET /gateway/bot. */
  apiBaseUrl?: string;
  /** Ask for the privileged Message Content intent (voice notes, follow-ups). */
  messageContent: boolean;
  logger: Logger;
}

/** A connected bot. */
export interface DiscordBot {
  client: Client;
  /** Whether the Message Content intent is in force (false after Discord refused it). */
  messageContent(): boolean;
  close(): Promise<void>;
}

function intents(messageContent: boolean): GatewayIntentBits[] {
  const base = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  return messageContent ? [...base, GatewayIntentBits.MessageContent] : base;
}

/** Discord's close code when a privileged intent is not enabled for the application. */
export const DISALLOWED_INTENTS = 4014;

function isDisallowedIntents(error: unknown): boolean {
  const text =
    error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : String(error);
  return text.includes(String(DISALLOWED_INTENTS)) || /disallowed intent/i.test(text);
}

async function login(options: StartDiscordBotOptions, messageContent: boolean): Promise<Client> {
  const { deps, logger } = options;
  const client = new Client({
    intents: intents(messageContent),
    // DMs and deleted messages arrive for channels and messages the client never cached.
    partials: [Partials.Channel, Partials.Message],
    rest: options.apiBaseUrl ? { api: options.apiBaseUrl } : {},
    allowedMentions: { parse: [] },
  });
  client.on(Events.InteractionCreate, (interaction) => {
    routeInteraction(deps, interaction).catch((error: unknown) => {
      logger.error({ err: error, interaction: interaction.id }, "interaction failed");
    });
  });
  if (messageContent) {
    // Mentions, replies and DMs need the message's words: without the intent there are none to read.
    client.on(Events.MessageCreate, (message) => {
      const botId = client.user?.id;
      if (!botId) return;
      // A recording in a channel with transcription on is a voice note, not a question.
      handleVoiceNote(deps, message)
        .then((taken) => (taken ? undefined : handleMessage(deps, message, botId)))
        .catch((error: unknown) => {
          logger.error({ err: error, message: message.id }, "message failed");
        });
    });
  }
  client.on(Events.GuildDelete, (guild) => {
    // discord.js emits GuildUnavailable, not this, when a server is only in an outage.
    guildLeft(deps, guild.id).catch((error: unknown) => {
      logger.error({ err: error, guildId: guild.id }, "could not stop a departed server's jobs");
    });
  });
  client.on(Events.MessageDelete, (message) => {
    handleMessageDelete(deps, message).catch((error: unknown) => {
      logger.error({ err: error, message: message.id }, "message delete failed");
    });
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(options.token);
  } catch (error) {
    await client.destroy();
    throw error;
  }
  await ready;
  return client;
}

/**
 * Logs in over the gateway and routes interactions; never calls Replicate. When Discord refuses the
 * Message Content intent (close code 4014), logs in again without it and says which features are off.
 */
export async function startDiscordBot(options: StartDiscordBotOptions): Promise<DiscordBot> {
  const { logger } = options;
  let messageContent = options.messageContent;
  let client: Client;
  try {
    client = await login(options, messageContent);
  } catch (error) {
    if (!messageContent || !isDisallowedIntents(error)) throw error;
    logger.warn(
      "Discord refused the Message Content intent (close code 4014): automatic voice-note transcription and " +
        "follow-ups by reply, mentions and DMs are off until it is enabled under Bot → Privileged Gateway Intents in the " +
        "Developer Portal; slash commands and the Transcribe menu still work",
    );
    messageContent = false;
    client = await login(options, false);
  }
  if (!options.messageContent) {
    logger.warn(
      "DISCORD_MESSAGE_CONTENT is off: follow-ups by reply, mentions, DMs and automatic transcription are off",
    );
  }
  logger.info({ user: client.user?.tag, messageContent }, "discord bot connected");
  return {
    client,
    messageContent: () => messageContent,
    close: () => client.destroy(),
  };
}
