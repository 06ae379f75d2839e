import type { Logger } from "@replibot/core";
import { Client, Events, GatewayIntentBits } from "discord.js";
import type { DiscordAppDeps } from "./deps.ts";
import { routeInteraction } from "./handlers/interaction-router.ts";

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

/** Logs in over the gateway and routes interactions; never calls Replicate. */
export async function startDiscordBot(options: StartDiscordBotOptions): Promise<DiscordBot> {
  const { deps, logger } = options;
  const client = new Client({
    intents: intents(options.messageContent),
    rest: options.apiBaseUrl ? { api: options.apiBaseUrl } : {},
    allowedMentions: { parse: [] },
  });
  client.on(Events.InteractionCreate, (interaction) => {
    routeInteraction(deps, interaction).catch((error: unknown) => {
      logger.error({ err: error, interaction: interaction.id }, "interaction failed");
    });
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  logger.info({ user: client.user?.tag }, "discord bot connected");
  return {
    client,
    messageContent: () => options.messageContent,
    close: () => client.destroy(),
  };
}
