import { REST } from "@discordjs/rest";
import { createLogger } from "@replibot/core";
import { createDb, migrate } from "@replibot/db";
import { type DiscordApp, loadDiscordEnv, registerCommands, startDiscordApp } from "@replibot/discord";
import { createEmulator, type Emulator } from "@replibot/emulator";
import { loadCatalog } from "@replibot/replicate";
import { loadSlackEnv, SLACK_BOT_SCOPES, type SlackApp, startSlackApp } from "@replibot/slack";
import { createFakeDiscord, type FakeDiscord } from "../fakes/discord/index.ts";
import { createFakeSlack, type FakeSlack } from "../fakes/slack/index.ts";
import { type SpawnedApp, spawnNpm } from "../helpers/spawn-app.ts";
import type { ChaosWindows } from "./chaos-settings.ts";
import {
  freePort,
  type PrivatePostgres,
  type PrivateRedis,
  startPrivatePostgres,
  startPrivateRedis,
} from "./private-services.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";

/** A process of ours running as a deployment runs it (`npm start -w …`), with its port when it serves HTTP. */
export interface ChaosProcess {
  app: SpawnedApp;
  port?: number;
}

/**
 * The whole of Replibot as a deployment that has outgrown one process: its own Postgres and Redis
 * (so restarting them disturbs no other test), worker and webhook processes started as `npm start
 * -w …` would (so they can be killed), a load balancer in front of the webhook processes, the
 * Replicate emulator behind a proxy that can be cut, and the Discord and Slack apps against their
 * fakes: a guild and a workspace, two tenants.
 */
export interface ChaosStack {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  databaseUrl: string;
  db: ReturnType<typeof createDb>["db"];
  emulator: Emulator;
  /** Between Replibot and the emulator: `cut()` makes Replicate unreachable. */
  replicateProxy: TcpProxy;
  /** The load balancer Replicate delivers webhooks to. */
  webhooksProxy: TcpProxy;
  discordFake: FakeDiscord;
  slackFake: FakeSlack;
  discord: DiscordApp;
  slack: SlackApp;
  guildId: string;
  discordChannels: string[];
  teamId: string;
  slackChannels: string[];
  slackUrl: string;
  workers: ChaosProcess[];
  webhooks: ChaosProcess[];
  startWorker(): Promise<ChaosProcess>;
  startWebhooks(): Promise<ChaosProcess>;
  /** SIGKILLs a process (no shutdown hooks, as a crash or an OOM kill). */
  kill(process: ChaosProcess): Promise<void>;
  /** The health the webhooks service reports: its status and body. */
  health(process: ChaosProcess): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** Starts everything; `persistRedis: false` gives a Redis that keeps nothing across restarts. */
export async function startChaosStack(
  windows: ChaosWindows,
  options: { persistRedis: boolean },
): Promise<ChaosStack> {
  const logger = createLogger({ name: "chaos", level: "silent" });
  const [postgres, redis] = await Promise.all([
    startPrivatePostgres(),
    startPrivateRedis({ persist: options.persistRedis }),
  ]);
  const databaseUrl = postgres.url("replibot_chaos");
  await migrate(databaseUrl);
  const database = createDb({ url: databaseUrl, max: 4 });
  const catalog = await loadCatalog();

  const webhooksProxy = await startTcpProxy([]);
  const replicateProxy = await startTcpProxy([]);
  const emulatorPort = await freePort();
  const emulator = await createEmulator({
    port: emulatorPort,
    publicUrl: replicateProxy.url,
    tokensPerSecond: windows.tokensPerSecond,
    webhookRetryScheduleMs: windows.webhookRetryScheduleMs,
    webhookTimeoutMs: 2_000,
  });
  // The emulator names the proxy as its origin (every URL it hands out goes through it).
  replicateProxy.setTargets([emulatorPort]);

  const applicationId = "1187654321098765432";
  const botToken = `${Buffer.from(applicationId).toString("base64url")}.GfAk3d.${"c4os".repeat(8)}`;
  const discordFake = await createFakeDiscord({ applicationId, botToken });
  const guild = discordFake.addGuild({
    name: "Chaos server",
    channels: ["a", "b", "c", "d", "e"].map((name) => ({ name })),
  });
  await registerCommands({
    rest: new REST({ api: discordFake.apiUrl }).setToken(botToken),
    applicationId,
    guildId: guild.guildId,
    catalog,
  });
  const slackFake = await createFakeSlack({ scopes: SLACK_BOT_SCOPES });
  const slackChannels = ["a", "b", "c", "d", "e"].map((name) =>
    slackFake.addChannel(slackFake.teamId, { name }),
  );

  const prefix = "{chaos}";
  const common = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: "warn",
    REPLICATE_API_TOKEN: "r8_chaos",
    REPLICATE_API_BASE_URL: `${replicateProxy.url}/v1`,
    REPLICATE_WEBHOOK_SECRET: emulator.webhookSecret,
  };
  const workers: ChaosProcess[] = [];
  const webhooks: ChaosProcess[] = [];
  const startWorker = async () => {
    const app = spawnNpm(["start", "-w", "@replibot/worker"], {
      ...common,
      PUBLIC_URL: webhooksProxy.url,
      DISCORD_TOKEN: botToken,
      DISCORD_API_BASE_URL: discordFake.apiUrl,
      SLACK_BOT_TOKEN: slackFake.botToken,
      SLACK_API_URL: slackFake.apiUrl,
      RECONCILE_INTERVAL_SECONDS: String(windows.reconcileEveryMs / 1000),
      RECONCILE_STALE_SECONDS: String(windows.staleAfterMs / 1000),
      QUEUE_LOCK_SECONDS: String(windows.queueLockMs / 1000),
      LOG_LEVEL: "info",
    });
    await app.waitFor(/worker consuming jobs/, 60_000);
    const process = { app };
    workers.push(process);
    return process;
  };
  const startWebhooks = async () => {
    const port = await freePort();
    const app = spawnNpm(["start", "-w", "@replibot/webhooks"], { ...common, PORT: String(port) });
    await app.waitFor(/webhooks listening on/, 60_000);
    const process = { app, port };
    webhooks.push(process);
    webhooksProxy.setTargets(
      webhooks
        .filter((w) => w.app.child.exitCode === null && w.app.child.signalCode === null)
        .map((w) => w.port!),
    );
    return process;
  };

  const discord = await startDiscordApp({
    env: loadDiscordEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      DISCORD_TOKEN: botToken,
      DISCORD_APPLICATION_ID: applicationId,
      DISCORD_API_BASE_URL: discordFake.apiUrl,
      DISCORD_MESSAGE_CONTENT: "false",
      USER_REQUESTS_PER_MINUTE: "10000",
      USER_ACTIVE_JOBS: "1000",
      TENANT_QUEUED_JOBS_MAX: "100000",
    }),
    logger,
    catalog,
    prefix,
  });
  const slack = await startSlackApp({
    env: loadSlackEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      SLACK_SIGNING_SECRET: slackFake.signingSecret,
      SLACK_BOT_TOKEN: slackFake.botToken,
      SLACK_API_URL: slackFake.apiUrl,
      USER_REQUESTS_PER_MINUTE: "10000",
      USER_ACTIVE_JOBS: "1000",
      TENANT_QUEUED_JOBS_MAX: "100000",
    }),
    logger,
    catalog,
    prefix,
    host: "127.0.0.1",
    port: 0,
    retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
  });

  const kill = async (process: ChaosProcess) => {
    const exited = process.app.exited();
    process.app.signal("SIGKILL");
    await exited;
    webhooksProxy.setTargets(
      webhooks
        .filter((w) => w.app.child.exitCode === null && w.app.child.signalCode === null)
        .map((w) => w.port!),
    );
  };

  return {
    postgres,
    redis,
    databaseUrl,
    db: database.db,
    emulator,
    replicateProxy,
    webhooksProxy,
    discordFake,
    slackFake,
    discord,
    slack,
    guildId: guild.guildId,
    discordChannels: guild.channelIds,
    teamId: slackFake.teamId,
    slackChannels,
    slackUrl: slack.url ?? "",
    workers,
    webhooks,
    startWorker,
    startWebhooks,
    kill,
    async health(process) {
      try {
        const response = await fetch(`http://127.0.0.1:${process.port}/healthz`, {
          signal: AbortSignal.timeout(5_000),
        });
        return { status: response.status, body: await response.text() };
      } catch (error) {
        return { status: 0, body: String(error) };
      }
    },
    async close() {
      for (const process of [...workers, ...webhooks]) {
        if (process.app.child.exitCode === null && process.app.child.signalCode === null)
          await kill(process).catch(() => {});
      }
      await discord.close().catch(() => {});
      await slack.close().catch(() => {});
      await database.close().catch(() => {});
      await emulator.close();
      await replicateProxy.close();
      await webhooksProxy.close();
      await discordFake.close();
      await slackFake.close();
      await redis.close();
      await postgres.close();
    },
  };
}
