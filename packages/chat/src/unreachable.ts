import { isAppError } from "@replibot/core";

/** Slack's answers that mean the place or the workspace is gone for good (no retry can help). */
const slackGone = new Set([
  "account_inactive",
  "token_revoked",
  "invalid_auth",
  "not_authed",
  "team_access_not_granted",
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "message_not_found",
]);

/** Discord's JSON error codes for the same: unknown channel or guild, no access to it. */
const discordGone = new Set([10003, 10004, 50001]);

/**
 * Whether a write failed because its place no longer exists for the bot (the workspace uninstalled
 * the app, the channel was deleted or archived): the message can never be written, so a job ends
 * without it instead of retrying forever.
 */
export function isUnreachable(error: unknown): string | undefined {
  if (isAppError(error, "not_found")) return error.message;
  if (typeof error !== "object" || error === null) return undefined;
  const slack = (error as { data?: { error?: unknown } }).data?.error;
  if (typeof slack === "string" && slackGone.has(slack)) return `Slack: ${slack}`;
  const discord = (error as { code?: unknown }).code;
  if (typeof discord === "number" && discordGone.has(discord)) return `Discord: ${discord}`;
  return undefined;
}
