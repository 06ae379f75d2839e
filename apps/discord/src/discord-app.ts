import {
  createDiscordPlatform,
  createDiscordRest,
  createEditGovernor,
  showQueuedNotice,
} from "@replibot/chat";
import { AppError, type Logger, type ReplyTarget, requestLimitsOf } from "@replibot/core";
import { createDb } from "@replibot/db";
import {
  connectRedis,
  createProducer,
  createRedis,
  DEFAULT_QUEUE_PREFIX,
  startHeartbeat,
} from "@replibot/queue";
import { type Catalog, loadCatalog } from "@replibot/replicate";
import { type DiscordBot, startDiscordBot } from "./bot.ts";
import type { DiscordAppDeps } from "./deps.ts";
import type { DiscordEnv } from "./env.ts";

/** A running Discord app. */
export interface DiscordApp {
  bot: DiscordBot;
  close(): Promise<void>;
}

/** Options for {@link startDiscordApp}. */
export interface StartDiscordAppOptions {
  env: DiscordEnv;
  logger: Logger;
  catalog?: Catalog;
  prefix?: string;
}

/** Connects Postgres, Redis and the gateway; turns commands and buttons into jobs. */
export async function startDiscordApp(options: StartDiscordAppOptions): Promise<DiscordApp> {
  const { env, logger } = options;
  if (!env.DISCORD_TOKEN || !env.DISCORD_APPLICATION_ID) {
    throw new AppError("config_invalid", "DISCORD_TOKEN: is required to start the Discord app");
  }
  const database = createDb({ url: env.DATABASE_URL, max: 5 });
  const redis = createRedis({ url: env.REDIS_URL, role: "producer" });
  try {
    await connectRedis(redis, env.REDIS_URL);
  } catch (error) {
    await database.close();
    throw error;
  }
  const producer = createProducer({ connection: redis, prefix: options.prefix });
  const governor = createEditGovernor({ redis });
  const platform = createDiscordPlatform({
    rest: createDiscordRest({ api: env.DISCORD_API_BASE_URL, token: env.DISCORD_TOKEN, governor }),
    governor,
  });
  const showQueued = (jobId: string, target: ReplyTarget, ahead: number) =>
    showQueuedNotice({ platform, governor, jobId, target, ahead });
  try {
    const deps: DiscordAppDeps = {
      db: database.db,
      producer,
      catalog: options.catalog ?? (await loadCatalog({ file: env.MODELS_FILE })),
      logger,
      showQueued,
      governor,
      config: {
        limits: requestLimitsOf(env),
        applicationId: env.DISCORD_APPLICATION_ID,
        allowedTenants: env.ALLOWED_TENANTS,
        dmTenant: env.DM_TENANT,
        defaultLimitNanos: env.DEFAULT_TENANT_LIMIT_USD,
        maxLimitNanos: env.MAX_TENANT_LIMIT_USD,
        defaultRetentionDays: env.CONVERSATION_RETENTION_DAYS,
      },
    };
    const bot = await startDiscordBot({
      deps,
      token: env.DISCORD_TOKEN,
      apiBaseUrl: env.DISCORD_API_BASE_URL,
      messageContent: env.DISCORD_MESSAGE_CONTENT,
      logger,
    });
    deps.messageContent = bot.messageContent;
    // /healthz (apps/webhooks) shows whether the gateway is connected.
    const heartbeat = startHeartbeat({
      redis,
      prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
      app: "discord",
      check: () =>
        bot.client.isReady()
          ? { healthy: true, problems: [], details: { messageContent: bot.messageContent() } }
          : { healthy: false, problems: ["the Discord gateway is not connected"] },
    });
    return {
      bot,
      async close() {
        await heartbeat.stop();
        await bot.close();
        await producer.close();
        await redis.quit().catch(() => redis.disconnect());
        await database.close();
      },
    };
  } catch (error) {
    await producer.close();
    redis.disconnect();
    await database.close();
    throw error;
  }
}
