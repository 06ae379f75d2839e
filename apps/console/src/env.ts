import {
  attachmentEnv,
  consoleUrlEnv,
  databaseEnv,
  parseEnv,
  redisEnv,
  replicateEnv,
  requestLimitsEnv,
  runtimeEnv,
  spendEnv,
  usdField,
} from "@replibot/core";
import { z } from "zod";

/** apps/console settings: the only place this app reads process.env. */
export const ConsoleEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(replicateEnv.shape)
  .extend(spendEnv.shape)
  .extend(requestLimitsEnv.shape)
  .extend(consoleUrlEnv.shape)
  .extend(attachmentEnv.pick({ TRANSCRIBE_MAX_BYTES: true }).shape)
  .extend({
    ADMIN_PASSWORD: z.string().min(8, { message: "must be at least 8 characters" }).optional(),
    /** The playground's own monthly limit, so a playground on real Replicate cannot run up a bill. */
    CONSOLE_DEMO_LIMIT_USD: usdField.default(500_000_000n),
    /** Read only to decide whether the password-less demo mode may run (no platform tokens). */
    DISCORD_TOKEN: z.string().optional(),
    SLACK_BOT_TOKEN: z.string().optional(),
    SLACK_SIGNING_SECRET: z.string().optional(),
    SLACK_APP_TOKEN: z.string().optional(),
    SLACK_CLIENT_ID: z.string().optional(),
  });
export type ConsoleEnv = z.output<typeof ConsoleEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadConsoleEnv(source: Record<string, string | undefined> = process.env): ConsoleEnv {
  return parseEnv(ConsoleEnv, source);
}
