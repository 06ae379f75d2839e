import { GatewayIntentBits } from "discord-api-types/v10";
import { hasIntent } from "./intents.ts";
import { channelType, type Json, memberJson, messageJson } from "./shapes.ts";
import type { FakeState, StoredMessage } from "./state.ts";

/**
 * Whether Discord would show this message's content to a bot without the Message Content intent: its own
 * messages, DMs, messages that mention it and replies to it (gateway.mdx "Message Content Intent").
 */
export function contentVisibleWithoutIntent(state: FakeState, message: StoredMessage): boolean {
  if (message.guildId === null) return true;
  if (message.authorId === state.applicationId) return true;
  if (message.mentionIds.includes(state.applicationId)) return true;
  const referenced = message.referencedMessageId
    ? state.messages.get(message.referencedMessageId)
    : undefined;
  return referenced?.authorId === state.applicationId;
}

/**
 * The MESSAGE_CREATE / MESSAGE_UPDATE payload for a session with `intents`, or null when the session must
 * not get it: ephemeral messages never go out, guild messages need GuildMessages and DMs DirectMessages.
 */
export function messageEventPayload(state: FakeState, message: StoredMessage, intents: number): Json | null {
  if (message.ephemeralFor !== null) return null;
  const needed =
    message.guildId === null ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
  if (!hasIntent(intents, needed)) return null;
  const channel = state.channels.get(message.channelId);
  // discord.js builds an uncached DM channel from `channel_type`; without it the message is dropped.
  const json: Json = {
    ...messageJson(state, message),
    channel_type: channel ? channelType(channel.kind) : 0,
  };
  if (message.guildId !== null) {
    json.guild_id = message.guildId;
    const member = state.guilds.get(message.guildId)?.members.get(message.authorId);
    if (member) json.member = memberJson(state, member, { withUser: false });
  }
  if (!hasIntent(intents, GatewayIntentBits.MessageContent) && !contentVisibleWithoutIntent(state, message)) {
    // Attachments count as content: without the intent they arrive empty too (contract §1.9).
    Object.assign(json, { content: "", embeds: [], attachments: [], components: [] });
  }
  return json;
}

/** The MESSAGE_DELETE payload, or null when the session must not get it. */
export function messageDeletePayload(message: StoredMessage, intents: number): Json | null {
  if (message.ephemeralFor !== null) return null;
  const needed =
    message.guildId === null ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
  if (!hasIntent(intents, needed)) return null;
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
  };
}
