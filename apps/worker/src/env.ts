import {
  attachmentEnv,
  databaseEnv,
  parseEnv,
  publicUrlEnv,
  redisEnv,
  replicateEnv,
  requireTokenInProduction,
  runtimeEnv,
  slackApiEnv,
  spendEnv,
  urlField,
  withPublicUrl,
} from "@replibot/core";
import { z } from "zod";

/** apps/worker settings: the only place this app reads process.env. */
export const WorkerEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(replicateEnv.shape)
  .extend(publicUrlEnv.shape)
  .extend(spendEnv.shape)
  .extend(slackApiEnv.shape)
  .extend(attachmentEnv.shape)
  .extend({
    /** The bot token writes answers once an interaction token has expired. */
    DISCORD_TOKEN: z.string().optional(),
    DISCORD_API_BASE_URL: urlField(["http", "https"], "https://discord.com/api").optional(),
    /** Days conversation turns are kept for follow-ups; older ones are deleted. */
    CONVERSATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  })
  .superRefine(requireTokenInProduction)
  .transform(withPublicUrl);
export type WorkerEnv = z.output<typeof WorkerEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(WorkerEnv, source);
}
