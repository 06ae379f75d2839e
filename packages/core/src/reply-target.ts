import { z } from "zod";

/** Where a job's answer is written: ids only, never platform objects. */
export const DiscordReplyTarget = z.object({
  platform: z.literal("discord"),
  applicationId: z.string().min(1),
  interactionToken: z.string().min(1),
  channelId: z.string().min(1),
  /** "@original" until the deferred reply's id is known. */
  messageId: z.string().min(1),
  /** When the interaction token stops working (15 minutes after the command); then the bot token writes. */
  tokenExpiresAtMs: z.number().int().positive(),
});
export type DiscordReplyTarget = z.infer<typeof DiscordReplyTarget>;

/** Slack: the placeholder message, by channel and ts, optionally inside a thread. */
export const SlackReplyTarget = z.object({
  platform: z.literal("slack"),
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
  threadTs: z.string().min(1).optional(),
});
export type SlackReplyTarget = z.infer<typeof SlackReplyTarget>;

/** The local console's playground conversation. */
export const ConsoleReplyTarget = z.object({
  platform: z.literal("console"),
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
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
