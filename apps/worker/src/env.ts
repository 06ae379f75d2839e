import {
  databaseEnv,
  parseEnv,
  portField,
  redisEnv,
  replicateEnv,
  requireTokenInProduction,
  runtimeEnv,
  spendEnv,
  urlField,
} from "@replibot/core";
import { z } from "zod";

/** apps/worker settings: the only place this app reads process.env. */
export const WorkerEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(replicateEnv.shape)
  .extend(spendEnv.shape)
  .extend({
    PORT: portField.default(8080),
    PUBLIC_URL: urlField(["http", "https"], "https://replibot.example.com").optional(),
    /** The bot token writes answers once an interaction token has expired. */
    DISCORD_TOKEN: z.string().optional(),
    DISCORD_API_BASE_URL: urlField(["http", "https"], "https://discord.com/api").optional(),
  })
  .superRefine(requireTokenInProduction)
  .transform((env) => ({ ...env, PUBLIC_URL: env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}` }));
export type WorkerEnv = z.output<typeof WorkerEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(WorkerEnv, source);
}
