import {
  databaseEnv,
  parseEnv,
  portField,
  redisEnv,
  replicateEnv,
  requireTokenInProduction,
  runtimeEnv,
  urlField,
} from "@replibot/core";
import type { z } from "zod";

/** apps/webhooks settings: the only place this app reads process.env. */
export const WebhooksEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(replicateEnv.shape)
  .extend({
    PORT: portField.default(8080),
    PUBLIC_URL: urlField(["http", "https"], "https://replibot.example.com").optional(),
  })
  .superRefine(requireTokenInProduction)
  .transform((env) => ({ ...env, PUBLIC_URL: env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}` }));
export type WebhooksEnv = z.output<typeof WebhooksEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadWebhooksEnv(source: Record<string, string | undefined> = process.env): WebhooksEnv {
  return parseEnv(WebhooksEnv, source);
}
