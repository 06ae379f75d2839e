import { z } from "zod";
import { consolePublicOrigin } from "./console-url.ts";
import { listField } from "./env-fields.ts";

/** Where members' files may be downloaded from, and the caps on audio sent for transcription. */
export const attachmentEnv = z.object({
  DISCORD_CDN_ORIGINS: listField.optional(),
  SLACK_FILES_ORIGINS: listField.optional(),
  /** The largest audio file sent to Whisper, in bytes (25 MB). */
  TRANSCRIBE_MAX_BYTES: z.coerce.number().int().min(1024).max(1_000_000_000).default(25_000_000),
  /** The longest audio sent to Whisper, in seconds. */
  TRANSCRIBE_MAX_SECONDS: z.coerce.number().int().min(1).max(14_400).default(600),
});

/** The origins attachments may come from on each platform, with their defaults filled in. */
export interface AttachmentOrigins {
  discord: string[];
  slack: string[];
  /** The console itself: the playground's voice notes, fetched by the worker for console jobs only. */
  console: string[];
}

const canonical = (origin: string): string => {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
};

/**
 * DISCORD_CDN_ORIGINS and SLACK_FILES_ORIGINS as exact origins: the settings, else Discord's CDN
 * hosts (or the origin of DISCORD_API_BASE_URL when set) and files.slack.com (or the origin of a
 * non-default SLACK_API_URL); the console's own origin for the playground's uploads.
 */
export function attachmentOrigins(env: {
  DISCORD_CDN_ORIGINS?: string[] | undefined;
  SLACK_FILES_ORIGINS?: string[] | undefined;
  DISCORD_API_BASE_URL?: string | undefined;
  SLACK_API_URL?: string | undefined;
  CONSOLE_PUBLIC_URL?: string | undefined;
  CONSOLE_HOST?: string | undefined;
  CONSOLE_PORT?: number | undefined;
}): AttachmentOrigins {
  const slackApi = env.SLACK_API_URL ?? "https://slack.com/api/";
  return {
    discord: (
      env.DISCORD_CDN_ORIGINS ??
      (env.DISCORD_API_BASE_URL
        ? [new URL(env.DISCORD_API_BASE_URL).origin]
        : ["https://cdn.discordapp.com", "https://media.discordapp.net"])
    ).map(canonical),
    slack: (
      env.SLACK_FILES_ORIGINS ??
      (slackApi === "https://slack.com/api/" ? ["https://files.slack.com"] : [new URL(slackApi).origin])
    ).map(canonical),
    console: [consolePublicOrigin(env)],
  };
}

/** Whether `url` is an http(s) URL on exactly one of `origins` (scheme, host and port). */
export function onAllowedOrigin(url: string, origins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return false;
  if (parsed.username || parsed.password) return false;
  return origins.includes(parsed.origin);
}
