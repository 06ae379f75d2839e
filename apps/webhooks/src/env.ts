import {
  databaseEnv,
  parseEnv,
  publicUrlEnv,
  redisEnv,
  replicateEnv,
  requireTokenInProduction,
  runtimeEnv,
  withPublicUrl,
} from "@replibot/core";
import { z } from "zod";

/** apps/webhooks settings: the only place this app reads process.env. */
export const WebhooksEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(replicateEnv.shape)
  .extend(publicUrlEnv.shape)
  .extend({
    /** GET /metrics is served only with this token (Bearer); off when unset. */
    METRICS_TOKEN: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
  })
  .superRefine(requireTokenInProduction)
  .transform(withPublicUrl);
export type WebhooksEnv = z.output<typeof WebhooksEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadWebhooksEnv(source: Record<string, string | undefined> = process.env): WebhooksEnv {
  return parseEnv(WebhooksEnv, source);
}
