import {
  attachmentEnv,
  attachmentOrigins,
  databaseEnv,
  parseEnv,
  portField,
  redisEnv,
  requestLimitsEnv,
  retentionEnv,
  runtimeEnv,
  slackApiEnv,
  spendEnv,
} from "@replibot/core";
import { z } from "zod";

/** How the Slack app is configured: off, one workspace by bot token, or many through OAuth. */
export type SlackMode = "off" | "single" | "oauth";

/** apps/slack settings: the only place this app reads process.env. */
export const SlackEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(slackApiEnv.shape)
  .extend({
    SLACK_SIGNING_SECRET: z.string().optional(),
    SLACK_CLIENT_ID: z.string().optional(),
    SLACK_CLIENT_SECRET: z.string().optional(),
    SLACK_STATE_SECRET: z.string().optional(),
    SLACK_APP_TOKEN: z
      .string()
      .startsWith("xapp-", { message: "must be an app-level token (xapp-…)" })
      .optional(),
    SLACK_PORT: portField.default(3000),
    MODELS_FILE: z.string().optional(),
  })
  .extend(spendEnv.shape)
  .extend(attachmentEnv.shape)
  .extend(requestLimitsEnv.shape)
  .extend(retentionEnv.shape)
  .superRefine((env, ctx) => {
    const oauthKeys = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;
    const oauthSet = oauthKeys.filter((key) => env[key] !== undefined);
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (oauthSet.length > 0) {
      const missing = oauthKeys.find((key) => env[key] === undefined);
      if (missing) return issue(missing, `is required for OAuth when ${oauthSet[0]} is set`);
      if (!env.SLACK_SIGNING_SECRET) return issue("SLACK_SIGNING_SECRET", "is required for OAuth");
      if (!env.SECRETS_KEY) return issue("SECRETS_KEY", "is required for OAuth (it encrypts stored tokens)");
      return;
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      return issue(
        "SLACK_SIGNING_SECRET",
        "is required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN)",
      );
    }
    if ((env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) && !env.SLACK_BOT_TOKEN) {
      const by = env.SLACK_SIGNING_SECRET ? "SLACK_SIGNING_SECRET" : "SLACK_APP_TOKEN";
      return issue("SLACK_BOT_TOKEN", `is required when ${by} is set (or set SLACK_CLIENT_ID… for OAuth)`);
    }
  })
  .transform((env) => ({
    ...env,
    mode: (env.SLACK_CLIENT_ID ? "oauth" : env.SLACK_BOT_TOKEN ? "single" : "off") as SlackMode,
    SLACK_FILES_ORIGINS: attachmentOrigins(env).slack,
  }));
export type SlackEnv = z.output<typeof SlackEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadSlackEnv(source: Record<string, string | undefined> = process.env): SlackEnv {
  return parseEnv(SlackEnv, source);
}
