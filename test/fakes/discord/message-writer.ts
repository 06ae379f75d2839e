import type { FakeClock } from "../clock.ts";
import type { FakeGateway } from "./gateway.ts";
import { messageDeletePayload, messageEventPayload } from "./message-events.ts";
import { assertNotEmpty, type MessageFields, mentionedUserIds } from "./message-payload.ts";
import type { IdFactory } from "./snowflake.ts";
import type { FakeState, StoredMessage } from "./state.ts";

const ephemeralFlag = 64;
const loadingFlag = 128;

/** What a new message needs besides its body fields. */
export interface NewMessage {
  channelId: string;
  authorId: string;
  /** Discord's message type (0 default, 19 reply, 20/23 interaction responses). */
  type: number;
  fields: MessageFields;
  webhookId?: string;
  interactionId?: string;
  /** The user who alone sees it, for ephemeral messages. */
  ephemeralFor?: string;
  /** A deferred response's "is thinking…" placeholder: empty and flagged LOADING. */
  loading?: boolean;
}

/** Creates, edits and deletes messages, and tells the gateway about it like Discord does. */
export interface MessageWriter {
  create(input: NewMessage): StoredMessage;
  edit(message: StoredMessage, fields: MessageFields): StoredMessage;
  remove(message: StoredMessage): void;
}

/** Creates the writer for one fake. */
export function createMessageWriter(deps: {
  state: FakeState;
  clock: FakeClock;
  ids: IdFactory;
  gateway: FakeGateway;
}): MessageWriter {
  const { state } = deps;
  return {
    create(input) {
      const channel = state.channel(input.channelId);
      const content = input.fields.content ?? "";
      const message: StoredMessage = {
        id: deps.ids.snowflake(),
        channelId: channel.id,
        guildId: channel.guildId,
        type: input.fields.referencedMessageId && input.type === 0 ? 19 : input.type,
        authorId: input.authorId,
        webhookId: input.webhookId ?? null,
        applicationId: input.webhookId ?? null,
        content,
        embeds: input.fields.embeds ?? [],
        components: input.fields.components ?? [],
        attachments: input.fields.attachments ?? [],
        flags:
          (input.fields.flags ?? 0) |
          (input.ephemeralFor ? ephemeralFlag : 0) |
          (input.loading ? loadingFlag : 0),
        createdAt: deps.clock.now(),
        editedAt: null,
        editCount: 0,
        contentHistory: [content],
        deleted: false,
        ephemeralFor: input.ephemeralFor ?? null,
        interactionId: input.interactionId ?? null,
        referencedMessageId: input.fields.referencedMessageId ?? null,
        mentionIds: mentionedUserIds(state, content),
        threadId: null,
      };
      if (!input.loading) assertNotEmpty(message);
      state.messages.set(message.id, message);
      if (!message.ephemeralFor) channel.lastMessageId = message.id;
      deps.gateway.dispatch("MESSAGE_CREATE", (intents) => messageEventPayload(state, message, intents));
      return message;
    },
    edit(message, fields) {
      const next = {
        content: fields.content ?? message.content,
        embeds: fields.embeds ?? message.embeds,
        components: fields.components ?? message.components,
        attachments: fields.attachments ?? message.attachments,
      };
      assertNotEmpty(next);
      const wasLoading = (message.flags & loadingFlag) !== 0;
      Object.assign(message, next);
      // Only SUPPRESS_EMBEDS can be toggled by an edit; completing a deferred reply clears LOADING.
      if (fields.flags !== undefined) message.flags = (message.flags & ~4) | (fields.flags & 4);
      message.flags &= ~loadingFlag;
      message.mentionIds = mentionedUserIds(state, message.content);
      message.editCount += 1;
      message.contentHistory.push(message.content);
      // The first edit of a deferred reply completes it; Discord does not mark that one as edited.
      if (!wasLoading) message.editedAt = deps.clock.now();
      deps.gateway.dispatch("MESSAGE_UPDATE", (intents) => messageEventPayload(state, message, intents));
      return message;
    },
    remove(message) {
      message.deleted = true;
      deps.gateway.dispatch("MESSAGE_DELETE", (intents) => messageDeletePayload(message, intents));
    },
  };
}
