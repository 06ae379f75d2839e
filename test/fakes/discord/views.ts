import type { InteractionTimings } from "./route-deps.ts";
import type { FakeState, InteractionKind, StoredMessage } from "./state.ts";

/** A message as a user sees it in the channel now, plus what only a test can see (history, bytes). */
export interface MessageView {
  id: string;
  channelId: string;
  /** 0 default, 19 reply, 20 slash-command response, 23 context-menu response. */
  type: number;
  author: { id: string; username: string; bot: boolean };
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: {
    id: string;
    filename: string;
    contentType: string;
    size: number;
    url: string;
    bytes: Uint8Array;
  }[];
  flags: number;
  /** Flag 64: only `visibleTo` sees it. */
  ephemeral: boolean;
  visibleTo: string | null;
  /** A deferred reply not yet edited ("Bot is thinking…", flag 128). */
  loading: boolean;
  /** How many edits it received (PATCHes, and update callbacks). */
  editCount: number;
  /** Every content it has had, oldest first. */
  contentHistory: string[];
  createdAt: number;
  editedAt: number | null;
  /** Set for interaction responses and follow-ups. */
  interactionId: string | null;
  referencedMessageId: string | null;
  threadId: string | null;
  /** Deleted messages only show up through `fake.message(id)`. */
  deleted: boolean;
}

/** What the bot did with one interaction. */
export interface InteractionView {
  id: string;
  kind: InteractionKind;
  /** The command name or the component's custom id. */
  name: string;
  userId: string;
  channelId: string;
  createdAt: number;
  /** The first callback's type: 4 reply, 5 deferred, 6 deferred update, 7 update, 9 modal; null if none. */
  callbackType: number | null;
  callbackAt: number | null;
  /** The reply (or, after 6/7, the message the component sits on), as the user sees it now. */
  original: MessageView | null;
  followUps: MessageView[];
  /** The modal the bot opened. */
  modal: Record<string, unknown> | null;
  /** Whether the 15-minute token has run out on the fake clock. */
  tokenExpired: boolean;
}

/** Turns a stored message into its test view. */
export function messageView(state: FakeState, message: StoredMessage): MessageView {
  const author = state.users.get(message.authorId);
  return {
    id: message.id,
    channelId: message.channelId,
    type: message.type,
    author: { id: message.authorId, username: author?.username ?? "", bot: author?.bot ?? false },
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    attachments: message.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      contentType: a.contentType,
      size: a.bytes.byteLength,
      url: state.cdnUrl(a.path),
      bytes: a.bytes,
    })),
    flags: message.flags,
    ephemeral: message.ephemeralFor !== null,
    visibleTo: message.ephemeralFor,
    loading: (message.flags & 128) !== 0,
    editCount: message.editCount,
    contentHistory: [...message.contentHistory],
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    interactionId: message.interactionId,
    referencedMessageId: message.referencedMessageId,
    threadId: message.threadId,
    deleted: message.deleted,
  };
}

/** The channel's live messages, oldest first; with `as`, only what that user sees (others' ephemerals hidden). */
export function channelView(
  state: FakeState,
  channelId: string,
  options: { as?: string } = {},
): MessageView[] {
  return state
    .channelMessages(channelId)
    .filter((m) => options.as === undefined || m.ephemeralFor === null || m.ephemeralFor === options.as)
    .map((m) => messageView(state, m));
}

/** Turns a stored interaction into its test view, or undefined for an unknown id. */
export function interactionView(
  state: FakeState,
  timings: InteractionTimings,
  now: number,
  interactionId: string,
): InteractionView | undefined {
  const interaction = state.interactions.get(interactionId);
  if (!interaction) return undefined;
  const live = (id: string | null) => {
    const message = id ? state.messages.get(id) : undefined;
    return message && !message.deleted ? messageView(state, message) : null;
  };
  return {
    id: interaction.id,
    kind: interaction.kind,
    name: interaction.name,
    userId: interaction.userId,
    channelId: interaction.channelId,
    createdAt: interaction.createdAt,
    callbackType: interaction.callbackType,
    callbackAt: interaction.callbackAt,
    original: live(interaction.originalMessageId),
    followUps: interaction.followUpIds.flatMap((id) => live(id) ?? []),
    modal: interaction.modal,
    tokenExpired: now - interaction.createdAt > timings.tokenLifetimeMs,
  };
}
