import {
  attachmentEnv,
  consoleUrlEnv,
  databaseEnv,
  parseEnv,
  publicUrlEnv,
  redisEnv,
  replicateEnv,
  requireTokenInProduction,
  retentionEnv,
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
  .extend(retentionEnv.shape)
  .extend(consoleUrlEnv.shape)
  .extend({
    /** The bot token writes answers once an interaction token has expired. */
    DISCORD_TOKEN: z.string().optional(),
    DISCORD_API_BASE_URL: urlField(["http", "https"], "https://discord.com/api").optional(),
    /** How often the reconciler sweeps, and how long a job may go quiet before it looks. */
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(15),
    RECONCILE_STALE_SECONDS: z.coerce.number().min(0.5).max(86_400).default(60),
    /** How long a job's lock lives without renewal: a killed worker's jobs are retaken after it. */
    QUEUE_LOCK_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  })
  .superRefine(requireTokenInProduction)
  .transform(withPublicUrl);
export type WorkerEnv = z.output<typeof WorkerEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(WorkerEnv, source);
}
