import type { ReplyTarget } from "@replibot/core";
import type { Budget } from "./governor/edit-governor.ts";

/** A button under a message; its id names a job row, so it survives restarts. */
export interface ChatButton {
  id: string;
  label: string;
  style: "primary" | "secondary" | "danger";
}

/** A file attached to a message. */
export interface ChatFile {
  name: string;
  contentType: string;
  data: Uint8Array;
}

/** What one chat message should show. */
export interface OutgoingMessage {
  text: string;
  buttons?: ChatButton[];
  files?: ChatFile[];
}

/** A channel of one tenant: the platform's server or workspace id, and the channel's id. */
export interface ChannelPlace {
  tenantExternalId: string;
  channelId: string;
}

/** Which of a job's messages a write goes to: its reply, or the n-th continuation of a long answer. */
export type MessageSlot = { kind: "reply" } | { kind: "continuation"; messageId: string };

/**
 * One chat platform as the worker sees it: it writes to a job's reply and continuation messages,
 * and says which rate-limit budgets each write counts against. Platform details stay behind it.
 */
export interface ChatPlatform {
  readonly platform: ReplyTarget["platform"];
  /** The longest message text, in UTF-16 units. */
  readonly messageLimit: number;
  /** The longest message text for one target, when it differs from `messageLimit` (a Slack response_url). */
  messageLimitFor?(target: ReplyTarget): number;
  /** The budgets an edit of `slot` (or a new continuation) counts against right now. */
  budgets(target: ReplyTarget, write: "edit" | "create"): Budget[];
  /** Edits the reply or a continuation; returns the target, updated when the write learned something. */
  edit(target: ReplyTarget, slot: MessageSlot, message: OutgoingMessage): Promise<ReplyTarget>;
  /** Posts a continuation message after the reply; returns its id. */
  createContinuation(target: ReplyTarget, message: OutgoingMessage): Promise<string>;
  /**
   * Headers that authorize downloading a member's file from this platform's file host (Slack: the
   * bot token); none where files are public links (Discord's signed CDN URLs).
   */
  downloadHeaders?(target: ReplyTarget): Promise<Record<string, string>>;
  /** Posts a new message of the bot's own in a channel of a tenant (a spend alert); returns its id. */
  post(place: ChannelPlace, message: OutgoingMessage): Promise<string>;
}

/** The platforms a worker can write to, by name. */
export type ChatPlatforms = Partial<Record<ReplyTarget["platform"], ChatPlatform>>;
