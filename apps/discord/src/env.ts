import {
  attachmentEnv,
  attachmentOrigins,
  booleanField,
  databaseEnv,
  parseEnv,
  redisEnv,
  requestLimitsEnv,
  requirePair,
  retentionEnv,
  runtimeEnv,
  spendEnv,
  urlField,
} from "@replibot/core";
import { z } from "zod";

const snowflake = z.string().regex(/^\d{17,20}$/, { message: "must be a Discord id (17 to 20 digits)" });

/** apps/discord settings: the only place this app reads process.env. Discord is off without a token. */
export const DiscordEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend({
    DISCORD_TOKEN: z
      .string()
      .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, {
        message: "does not look like a bot token (three dot-separated parts)",
      })
      .optional(),
    DISCORD_APPLICATION_ID: snowflake.optional(),
    DISCORD_API_BASE_URL: urlField(["http", "https"], "https://discord.com/api").optional(),
    DISCORD_GUILD_ID: snowflake.optional(),
    DISCORD_MESSAGE_CONTENT: booleanField.default(true),
    MODELS_FILE: z.string().optional(),
  })
  .extend(spendEnv.shape)
  .extend(attachmentEnv.shape)
  .extend(requestLimitsEnv.shape)
  .extend(retentionEnv.shape)
  .superRefine((env, ctx) => requirePair(env, ctx, "DISCORD_TOKEN", "DISCORD_APPLICATION_ID"))
  .transform((env) => ({
    ...env,
    enabled: env.DISCORD_TOKEN !== undefined,
    DISCORD_CDN_ORIGINS: attachmentOrigins(env).discord,
  }));
export type DiscordEnv = z.output<typeof DiscordEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadDiscordEnv(source: Record<string, string | undefined> = process.env): DiscordEnv {
  return parseEnv(DiscordEnv, source);
}
