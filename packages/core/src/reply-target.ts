import { z } from "zod";

/** Where a job's answer is written: ids only, never platform objects. */
export const DiscordReplyTarget = z.object({
  platform: z.literal("discord"),
  applicationId: z.string().min(1),
  /** Absent for answers to messages (a mention, a reply): those are written with the bot token. */
  interactionToken: z.string().min(1).optional(),
  channelId: z.string().min(1),
  /** "@original" until the deferred reply's id is known. */
  messageId: z.string().min(1),
  /** When the interaction token stops working (15 minutes after the command); then the bot token writes. */
  tokenExpiresAtMs: z.number().int().nonnegative(),
  /** The member's message this answer replies to, when a message (not a command) asked. */
  replyTo: z.string().min(1).optional(),
});
export type DiscordReplyTarget = z.infer<typeof DiscordReplyTarget>;

/** A Slack placeholder not posted yet: the first write posts it (and learns its ts). */
export const SLACK_PENDING_TS = "@pending";
/** A Slack reply that lives behind the command's response_url (the bot cannot post in the channel). */
export const SLACK_RESPONSE_TS = "@response";

/**
 * Slack: the placeholder message, by channel and ts, optionally inside a thread. `messageTs` is
 * {@link SLACK_PENDING_TS} until the placeholder is posted, and {@link SLACK_RESPONSE_TS} when the
 * answer goes through `responseUrl` (at most 5 writes in 30 minutes).
 */
export const SlackReplyTarget = z.object({
  platform: z.literal("slack"),
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
  threadTs: z.string().min(1).optional(),
  /** The command's response_url: a bearer credential for 30 minutes, never logged. */
  responseUrl: z.string().url().optional(),
  /** Who asked: Slack's ephemeral notices and streams are addressed to them. */
  userId: z.string().min(1).optional(),
  /**
   * The line above the answer in the reply, after a mention of `userId` ("asked: …"), so the
   * channel sees what was asked: a slash command itself is not shown in Slack. Plain text.
   */
  heading: z.string().max(400).optional(),
  /**
   * True once the final message's files (an `/imagine` image) were uploaded into the channel, so a
   * repeated final write (a retried job) does not upload them twice.
   */
  filesPosted: z.boolean().optional(),
});
export type SlackReplyTarget = z.infer<typeof SlackReplyTarget>;

/** The local console's playground conversation. */
export const ConsoleReplyTarget = z.object({
  platform: z.literal("console"),
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
  /** The message this answer is a threaded reply under (a voice note's transcript). */
  parentMessageId: z.string().min(1).optional(),
});
export type ConsoleReplyTarget = z.infer<typeof ConsoleReplyTarget>;

/** Any reply target, discriminated by `platform`. */
export const ReplyTarget = z.discriminatedUnion("platform", [
  DiscordReplyTarget,
  SlackReplyTarget,
  ConsoleReplyTarget,
]);
export type ReplyTarget = z.infer<typeof ReplyTarget>;

/** The platforms Replibot answers on. */
export type Platform = ReplyTarget["platform"];

/**
 * Whether the app that took the request is still posting its reply: a Slack placeholder, or a
 * Discord answer to a member's message, not yet posted.
 */
export function replyPending(target: ReplyTarget): boolean {
  if (target.platform === "discord") return !target.interactionToken && target.messageId === "@original";
  return target.platform === "slack" && target.messageTs === SLACK_PENDING_TS;
}

/** A platform message as conversation history names it: unique across platforms, workspaces and channels. */
export function discordMessageKey(messageId: string): string {
  return `discord:${messageId}`;
}

/** A Slack message's key: a `ts` is unique only within its channel. */
export function slackMessageKey(teamId: string, channelId: string, ts: string): string {
  return `slack:${teamId}:${channelId}:${ts}`;
}

/** The keys of a job's answer messages (its reply and continuations), once they are known. */
export function answerMessageKeys(target: ReplyTarget, continuationIds: readonly string[]): string[] {
  switch (target.platform) {
    case "discord":
      return [target.messageId, ...continuationIds].filter((id) => /^\d+$/.test(id)).map(discordMessageKey);
    case "slack":
      return [target.messageTs, ...continuationIds]
        .filter((ts) => /^\d+\.\d+$/.test(ts))
        .map((ts) => slackMessageKey(target.teamId, target.channelId, ts));
    case "console":
      return [target.messageId, ...continuationIds].map((id) => `console:${target.conversationId}:${id}`);
  }
}
