import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEditGovernor, createSlackPlatform, slackLogger } from "@replibot/chat";
import { AppError, type Logger, requestLimitsOf } from "@replibot/core";
import { createDb, createSecretsBox, getSlackInstallation } from "@replibot/db";
import {
  connectRedis,
  createProducer,
  createRedis,
  DEFAULT_QUEUE_PREFIX,
  startHeartbeat,
} from "@replibot/queue";
import { type Catalog, loadCatalog } from "@replibot/replicate";
import { App, type AppOptions } from "@slack/bolt";
import { createAdminCheck } from "./admin-check.ts";
import type { SlackAppDeps } from "./deps.ts";
import type { SlackEnv } from "./env.ts";
import { createGroupCheck } from "./group-check.ts";
import { postgresInstallationStore } from "./installation-store.ts";
import { registerListeners } from "./listeners.ts";

/** The scopes Replibot asks for when a workspace installs it (keep apps/slack/manifest.yml in step). */
export const SLACK_BOT_SCOPES = [
  "commands",
  "chat:write",
  "chat:write.public",
  "files:write",
  "files:read",
  "users:read",
  "usergroups:read",
  "im:write",
  "app_mentions:read",
  "channels:history",
  "groups:history",
  "im:history",
];

/** The slash commands Replibot answers (keep apps/slack/manifest.yml in step). */
export const SLACK_COMMANDS = [
  "/ask",
  "/imagine",
  "/spend",
  "/spend-limit",
  "/transcribe",
  "/replibot",
] as const;

/** A running Slack app. */
export interface SlackApp {
  app: App;
  /** Where Slack's requests go (`…/slack/events`), or undefined in Socket Mode. */
  url: string | undefined;
  close(): Promise<void>;
}

/** Options for {@link startSlackApp}. */
export interface StartSlackAppOptions {
  env: SlackEnv;
  logger: Logger;
  catalog?: Catalog;
  prefix?: string;
  /** Where the HTTP receiver listens (default SLACK_PORT on all interfaces; port 0 picks a free one). */
  host?: string;
  port?: number;
  /** The Web API client's retry policy (its default waits up to 30 minutes on a fault). */
  retryConfig?: { retries: number; minTimeout?: number; maxTimeout?: number };
}

/** Slack's OAuth page beside a non-default SLACK_API_URL (a test fake), else Slack's own. */
function authorizationUrl(apiUrl: string): string {
  const origin = new URL(apiUrl).origin;
  return origin === "https://slack.com"
    ? "https://slack.com/oauth/v2/authorize"
    : `${origin}/oauth/v2/authorize`;
}

/** Connects Postgres and Redis and starts Bolt (HTTP, or Socket Mode); commands and buttons become jobs. */
export async function startSlackApp(options: StartSlackAppOptions): Promise<SlackApp> {
  const { env, logger } = options;
  if (env.mode === "off") {
    throw new AppError(
      "config_invalid",
      "SLACK_BOT_TOKEN: is required to start the Slack app (or OAuth settings)",
    );
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
  const box = env.mode === "oauth" && env.SECRETS_KEY ? createSecretsBox(env.SECRETS_KEY) : undefined;
  const retryConfig = options.retryConfig ?? { retries: 3, minTimeout: 500, maxTimeout: 5_000 };
  const botToken = async (teamId: string) => {
    if (env.SLACK_BOT_TOKEN) return env.SLACK_BOT_TOKEN;
    const found = box ? await getSlackInstallation(database.db, box, teamId) : undefined;
    if (!found) throw new AppError("not_found", "Replibot is not installed in this Slack workspace");
    return found.botToken;
  };
  const platform = createSlackPlatform({
    botToken,
    apiUrl: env.SLACK_API_URL,
    governor,
    retryConfig,
    logger,
  });
  const closeConnections = async () => {
    await producer.close();
    await redis.quit().catch(() => redis.disconnect());
    await database.close();
  };

  const clientOptions = { slackApiUrl: env.SLACK_API_URL, retryConfig };
  const socketMode = Boolean(env.SLACK_APP_TOKEN);
  const common: AppOptions = {
    logger: slackLogger(logger),
    clientOptions,
    deferInitialization: true,
    ...(socketMode
      ? { socketMode: true, appToken: env.SLACK_APP_TOKEN }
      : {
          signingSecret: env.SLACK_SIGNING_SECRET,
          customRoutes: [
            {
              path: "/healthz",
              method: ["GET"],
              handler: (_request, response) => {
                response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
              },
            },
          ],
        }),
  };
  const app =
    env.mode === "single"
      ? new App({ ...common, token: env.SLACK_BOT_TOKEN })
      : new App({
          ...common,
          clientId: env.SLACK_CLIENT_ID,
          clientSecret: env.SLACK_CLIENT_SECRET,
          stateSecret: env.SLACK_STATE_SECRET,
          scopes: SLACK_BOT_SCOPES,
          installationStore: postgresInstallationStore(database.db, box ?? createSecretsBox("")),
          installerOptions: {
            directInstall: true,
            authorizationUrl: authorizationUrl(env.SLACK_API_URL),
            clientOptions,
            ...(socketMode ? { port: env.SLACK_PORT } : {}),
          },
        });

  const deps: SlackAppDeps = {
    db: database.db,
    producer,
    catalog: options.catalog ?? (await loadCatalog({ file: env.MODELS_FILE })),
    logger,
    platform,
    governor,
    isAdmin: createAdminCheck(logger),
    groupsOf: createGroupCheck(logger),
    config: {
      limits: requestLimitsOf(env),
      allowedTenants: env.ALLOWED_TENANTS,
      dmTenant: env.DM_TENANT,
      defaultLimitNanos: env.DEFAULT_TENANT_LIMIT_USD,
      maxLimitNanos: env.MAX_TENANT_LIMIT_USD,
      defaultRetentionDays: env.CONVERSATION_RETENTION_DAYS,
    },
  };
  registerListeners(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, "Slack listener failed");
  });

  // /healthz (apps/webhooks) lists this process while it is alive.
  let heartbeat: { stop(): Promise<void> } | undefined;
  const close = async () => {
    await heartbeat?.stop();
    await app.stop();
    await closeConnections();
  };
  try {
    // auth.test runs here, so a bad SLACK_BOT_TOKEN fails start-up with a clear line.
    await app.init().catch((error: unknown) => {
      const refused = (error as { data?: { error?: unknown } })?.data?.error;
      if (typeof refused === "string") {
        throw new AppError("config_invalid", `SLACK_BOT_TOKEN: Slack refused it (${refused})`);
      }
      throw error;
    });
    heartbeat = startHeartbeat({
      redis,
      prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
      app: "slack",
      check: () => ({ healthy: true, problems: [], details: { socketMode } }),
    });
    if (socketMode) {
      await app.start();
      logger.info("Slack app connected in Socket Mode");
      return { app, url: undefined, close };
    }
    const server = (await app.start({ port: options.port ?? env.SLACK_PORT, host: options.host })) as Server;
    const { port } = server.address() as AddressInfo;
    const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
    logger.info(`Slack app listening on ${url}/slack/events`);
    return { app, url, close };
  } catch (error) {
    await heartbeat?.stop();
    await app.stop().catch(() => {});
    await closeConnections();
    throw error;
  }
}
