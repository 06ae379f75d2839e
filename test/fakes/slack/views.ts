import type { MessageVersion, SlackState, StoredMessage } from "./state.ts";

/** A file on a message, with the bytes uploaded. */
export interface FileView {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  bytes: Uint8Array;
}

/** A message as a user sees it now. */
export interface MessageView {
  ts: string;
  threadTs: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  /** The author's user id (the bot user for bot posts). */
  user: string;
  /** Set for messages posted by the app. */
  botId: string | undefined;
  /** Set for ephemeral messages: the one user who sees it. */
  ephemeralTo: string | undefined;
  /** Earlier versions, oldest first. */
  edits: readonly MessageVersion[];
  files: FileView[];
}

/** A stored message as a user sees it. */
export function messageView(m: StoredMessage): MessageView {
  return {
    ts: m.ts,
    threadTs: m.threadTs,
    text: m.text,
    blocks: m.blocks,
    user: m.userId,
    botId: m.botId,
    ephemeralTo: m.visibleTo,
    edits: m.history,
    files: m.files.map((f) => ({
      id: f.id,
      name: f.name,
      title: f.title,
      mimetype: f.mimetype,
      bytes: f.bytes ?? new Uint8Array(),
    })),
  };
}

/** A channel's live messages, oldest first; ephemeral ones only when `as` is the user they were for. */
export function channelView(
  state: SlackState,
  channelId: string,
  options: { as?: string } = {},
): MessageView[] {
  return (state.messages.get(channelId) ?? [])
    .filter((m) => !m.deleted && (!m.visibleTo || m.visibleTo === options.as))
    .map(messageView);
}
