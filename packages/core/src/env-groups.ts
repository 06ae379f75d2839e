import { z } from "zod";
import { listField, portField, urlField, usdField } from "./env-fields.ts";

/** DATABASE_URL. */
export const databaseEnv = z.object({
  DATABASE_URL: urlField(["postgres", "postgresql"], "postgres://postgres@127.0.0.1:5432/replibot").default(
    "postgres://postgres@127.0.0.1:5432/replibot",
  ),
});

/** REDIS_URL, and the prefix of every queue key (several deployments can share one Redis). */
export const redisEnv = z.object({
  REDIS_URL: urlField(["redis", "rediss"], "redis://127.0.0.1:6379").default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^\{[\w.-]{1,60}\}$/, { message: "must be a Redis hash tag such as {replibot}" })
    .default("{replibot}"),
});

/** NODE_ENV and LOG_LEVEL. */
export const runtimeEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** The Replicate API: a token, or the built-in emulator when there is none (never in production). */
export const replicateEnv = z.object({
  REPLICATE_API_TOKEN: z.string().optional(),
  REPLICATE_API_BASE_URL: urlField(["http", "https"], "https://api.replicate.com/v1").default(
    "https://api.replicate.com/v1",
  ),
  REPLICATE_WEBHOOK_SECRET: listField
    .refine((secrets) => secrets.every((s) => /^whsec_[A-Za-z0-9+/=]+$/.test(s)), {
      message: "must be one or more whsec_… secrets, comma-separated",
    })
    .optional(),
  MODELS_FILE: z.string().optional(),
  EMULATOR_PORT: portField.default(8790),
});

/** Spend limits in dollars, as nano-dollars. */
export const spendEnv = z.object({
  DEFAULT_TENANT_LIMIT_USD: usdField.default(5_000_000_000n),
  MAX_TENANT_LIMIT_USD: usdField.default(100_000_000_000n),
  OPERATOR_MONTHLY_CAP_USD: usdField.optional(),
  ALLOWED_TENANTS: listField.optional(),
  DM_TENANT: z.string().optional(),
});

/** The abuse limits members are held to in every tenant. */
export const requestLimitsEnv = z.object({
  USER_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  USER_ACTIVE_JOBS: z.coerce.number().int().min(1).max(1_000).default(1),
  TENANT_QUEUED_JOBS_MAX: z.coerce.number().int().min(1).max(1_000_000).default(50),
});

/** The abuse limits as the ack path uses them. */
export function requestLimitsOf(env: z.output<typeof requestLimitsEnv>) {
  return {
    requestsPerMinute: env.USER_REQUESTS_PER_MINUTE,
    activePerKind: env.USER_ACTIVE_JOBS,
    tenantQueuedMax: env.TENANT_QUEUED_JOBS_MAX,
  };
}

/** Refuses the emulator in production: a real deployment must name its Replicate token. */
export function requireTokenInProduction(
  env: { NODE_ENV: string; REPLICATE_API_TOKEN?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (env.NODE_ENV === "production" && !env.REPLICATE_API_TOKEN) {
    ctx.addIssue({
      code: "custom",
      path: ["REPLICATE_API_TOKEN"],
      message: "is required when NODE_ENV=production (the built-in emulator is for development only)",
    });
  }
}

/** Adds an issue on `b` when `a` is set without it, and the other way round. */
export function requirePair(env: Record<string, unknown>, ctx: z.RefinementCtx, a: string, b: string): void {
  if (env[a] !== undefined && env[b] === undefined) {
    ctx.addIssue({ code: "custom", path: [b], message: `is required when ${a} is set` });
  } else if (env[b] !== undefined && env[a] === undefined) {
    ctx.addIssue({ code: "custom", path: [a], message: `is required when ${b} is set` });
  }
}

/** PORT and PUBLIC_URL: where apps/webhooks listens and where Replicate reaches it. */
export const publicUrlEnv = z.object({
  PORT: portField.default(8080),
  PUBLIC_URL: urlField(["http", "https"], "https://replibot.example.com").optional(),
});

/** Fills PUBLIC_URL's default, http://127.0.0.1:${PORT}, once PORT is known. */
export function withPublicUrl<T extends { PORT: number; PUBLIC_URL?: string | undefined }>(
  env: T,
): T & { PUBLIC_URL: string } {
  return { ...env, PUBLIC_URL: env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}` };
}

/** Where Slack's Web API is and how to write to a workspace: one bot token, or stored OAuth installs. */
export const slackApiEnv = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", { message: "must be a bot token (xoxb-…)" }).optional(),
  SLACK_API_URL: urlField(["http", "https"], "https://slack.com/api/").default("https://slack.com/api/"),
  /** Encrypts the bot tokens of OAuth installations stored in Postgres. */
  SECRETS_KEY: z.string().min(32, { message: "must be at least 32 characters" }).optional(),
});
