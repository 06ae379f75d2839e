import type { FakeClock } from "../clock.ts";
import type { AttachmentInput, FakeCdn } from "./cdn.ts";
import { buildCommandOptions, type CommandOptionsInput } from "./command-options.ts";
import { findComponent, mirrorModal } from "./component-tree.ts";
import type { FakeGateway } from "./gateway.ts";
import { createInteractionDelivery, type InteractionRef } from "./interaction-delivery.ts";
import type { MessageLimits } from "./message-payload.ts";
import type { MessageWriter } from "./message-writer.ts";
import { type Json, messageJson } from "./shapes.ts";
import type { IdFactory } from "./snowflake.ts";
import type { FakeState, StoredMessage } from "./state.ts";

/** A user running a slash command. */
export interface SlashCommandInput extends CommandOptionsInput {
  channelId: string;
  userId: string;
  name: string;
  /** Checked against the channel's guild when given. */
  guildId?: string;
  locale?: string;
}

/** A user clicking a button (or choosing in a select menu) on a message. */
export interface ComponentInput {
  messageId: string;
  customId: string;
  userId: string;
  /** For select menus: the chosen values. */
  values?: string[];
  locale?: string;
  /** What a tampered client sends instead of the pressed component's own custom id. */
  forgedCustomId?: string;
}

/** A user submitting the modal the bot opened for `interactionId`. */
export interface ModalSubmitInput {
  interactionId: string;
  /** Text input (or select) custom ids to what the user entered. */
  values: Record<string, string | string[]>;
}

/** A file a user attaches to a message. */
export interface AttachmentUpload extends AttachmentInput {
  bytes: Uint8Array;
}

/** A user posting in a channel. */
export interface UserMessageInput {
  channelId: string;
  userId: string;
  content?: string;
  attachments?: AttachmentUpload[];
  /** e.g. 8192 IS_VOICE_MESSAGE. */
  flags?: number;
  referencedMessageId?: string;
}

/** What tests do as Discord users; each call throws where Discord's client would not let the user do it. */
export function createUserActions(deps: {
  state: FakeState;
  clock: FakeClock;
  ids: IdFactory;
  cdn: FakeCdn;
  gateway: FakeGateway;
  writer: MessageWriter;
  limits: MessageLimits;
  requireRegisteredCommands: boolean;
}) {
  const { state } = deps;

  const { where, deliver } = createInteractionDelivery(deps);

  const registered = (name: string, type: number, guildId: string | null) => {
    const scopes = guildId ? [guildId, "global"] : ["global"];
    for (const scope of scopes) {
      const found = (state.commands.get(scope) ?? []).find(
        (c) => c.json.name === name && (c.json.type ?? 1) === type,
      );
      if (found) return found;
    }
    if (deps.requireRegisteredCommands) {
      throw new Error(`command "${name}" (type ${type}) is not registered; Discord would not offer it`);
    }
    return null;
  };

  /** A message the user can see, or an error. */
  const visibleMessage = (messageId: string, userId: string): StoredMessage => {
    const message = state.messages.get(messageId);
    if (!message || message.deleted) throw new Error(`no message ${messageId}`);
    if (message.ephemeralFor !== null && message.ephemeralFor !== userId) {
      throw new Error(`message ${messageId} is ephemeral and only user ${message.ephemeralFor} sees it`);
    }
    return message;
  };

  return {
    /** A user running a chat-input command: INTERACTION_CREATE type 2 with options typed from the registered schema. */
    slashCommand(input: SlashCommandInput): InteractionRef {
      const guildId = where(input.channelId, input.userId);
      if (input.guildId !== undefined && input.guildId !== guildId) {
        throw new Error(`channel ${input.channelId} is not in guild ${input.guildId}`);
      }
      const command = registered(input.name, 1, guildId);
      const { options, resolved } = buildCommandOptions(
        state,
        { ...input, guildId },
        command?.json ?? null,
        input,
      );
      const data: Json = {
        id: command?.id ?? deps.ids.snowflake(),
        name: input.name,
        type: 1,
        ...(command?.guildId ? { guild_id: command.guildId } : {}),
        ...(options.length > 0 ? { options } : {}),
        ...(resolved ? { resolved } : {}),
      };
      return deliver("chat-input", input, data);
    },

    /** A user running a message context-menu command on a message: type 2, command type 3, with `target_id`. */
    messageContextMenu(input: {
      messageId: string;
      name: string;
      userId: string;
      locale?: string;
    }): InteractionRef {
      const message = visibleMessage(input.messageId, input.userId);
      const command = registered(input.name, 3, message.guildId);
      const data: Json = {
        id: command?.id ?? deps.ids.snowflake(),
        name: input.name,
        type: 3,
        target_id: message.id,
        ...(command?.guildId ? { guild_id: command.guildId } : {}),
        resolved: { messages: { [message.id]: messageJson(state, message) } },
      };
      return deliver("message-context", { ...input, channelId: message.channelId }, data);
    },

    /** A user clicking a button or choosing in a select menu: INTERACTION_CREATE type 3 carrying the message. */
    pressComponent(input: ComponentInput): InteractionRef {
      const message = visibleMessage(input.messageId, input.userId);
      const component = findComponent(message.components, input.customId);
      if (!component)
        throw new Error(`message ${message.id} has no component with custom_id "${input.customId}"`);
      if (component.disabled === true) throw new Error(`component "${input.customId}" is disabled`);
      const componentType = Number(component.type);
      if ((componentType === 2) !== (input.values === undefined)) {
        throw new Error(
          `component "${input.customId}" is type ${componentType}: use pressButton for buttons, selectMenu for menus`,
        );
      }
      const customId = input.forgedCustomId ?? input.customId;
      const data: Json = {
        custom_id: customId,
        component_type: componentType,
        ...(input.values ? { values: input.values } : {}),
      };
      return deliver("component", { ...input, channelId: message.channelId, name: customId }, data, {
        message: messageJson(state, message),
      });
    },

    /** The user submitting the modal the bot opened: INTERACTION_CREATE type 5. */
    submitModal(input: ModalSubmitInput): InteractionRef {
      const source = state.interactions.get(input.interactionId);
      const modal = source?.modal;
      if (!source || !modal) throw new Error(`interaction ${input.interactionId} did not open a modal`);
      const components = mirrorModal(modal.components, input.values);
      const message = source.messageId ? state.messages.get(source.messageId) : undefined;
      return deliver(
        "modal-submit",
        {
          channelId: source.channelId,
          userId: source.userId,
          name: String(modal.custom_id),
          messageId: source.messageId,
        },
        { custom_id: modal.custom_id, components },
        message ? { message: messageJson(state, message) } : {},
      );
    },

    /** A user posting in a channel, with attachments stored on the CDN: MESSAGE_CREATE. */
    postUserMessage(input: UserMessageInput): StoredMessage {
      where(input.channelId, input.userId);
      const attachments = (input.attachments ?? []).map((a) => deps.cdn.store(input.channelId, a.bytes, a));
      for (const a of attachments) state.attachments.set(a.id, a);
      return deps.writer.create({
        channelId: input.channelId,
        authorId: input.userId,
        type: 0,
        fields: {
          content: input.content ?? "",
          attachments,
          ...(input.flags !== undefined ? { flags: input.flags } : {}),
          ...(input.referencedMessageId ? { referencedMessageId: input.referencedMessageId } : {}),
        },
      });
    },
  };
}

/** The handle's user-side actions. */
export type UserActions = ReturnType<typeof createUserActions>;
