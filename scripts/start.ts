/**
 * `npm start`: create the database if missing, apply migrations under an advisory lock, then run
 * apps/webhooks and apps/worker in this process, with the Replicate emulator when there is no token,
 * and each platform app whose settings are present. One line per listener; SIGTERM stops it all.
 */
import { consoleAccess, loadConsoleEnv, startConsole } from "@replibot/console";
import { type Closable, createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { loadDiscordEnv, startDiscordApp } from "@replibot/discord";
import { createEmulator } from "@replibot/emulator";
import { createReplicateClient, type ReplicateConnection } from "@replibot/replicate";
import { loadSlackEnv, startSlackApp } from "@replibot/slack";
import { loadWebhooksEnv, startWebhooksServer } from "@replibot/webhooks";
import { loadWorkerEnv, startWorker } from "@replibot/worker";

async function main(): Promise<void> {
  const webhooksEnv = loadWebhooksEnv();
  const workerEnv = loadWorkerEnv();
  const discordEnv = loadDiscordEnv();
  const slackEnv = loadSlackEnv();
  const consoleEnv = loadConsoleEnv();
  const logger = createLogger({ name: "replibot", level: webhooksEnv.LOG_LEVEL });
  const closables: Closable[] = [];
  installShutdown(() => [...closables].reverse(), logger);

  await migrate(webhooksEnv.DATABASE_URL);

  let replicate: ReplicateConnection;
  let webhookSecrets = webhooksEnv.REPLICATE_WEBHOOK_SECRET;
  if (webhooksEnv.REPLICATE_API_TOKEN) {
    replicate = { baseUrl: webhooksEnv.REPLICATE_API_BASE_URL, token: webhooksEnv.REPLICATE_API_TOKEN };
    webhookSecrets ??= [await createReplicateClient(replicate).getWebhookSecret()];
  } else {
    logger.warn("REPLICATE_API_TOKEN is not set: predictions go to the built-in Replicate emulator");
    const emulator = await createEmulator({
      port: webhooksEnv.EMULATOR_PORT,
      webhookSecret: webhookSecrets?.[0],
    });
    closables.push({ name: "emulator", close: emulator.close });
    console.log(`Replicate emulator listening on ${emulator.baseUrl}`);
    replicate = { baseUrl: emulator.baseUrl, token: "emulator" };
    webhookSecrets ??= [emulator.webhookSecret];
  }

  const webhooks = await startWebhooksServer({
    env: webhooksEnv,
    logger: logger.child({ app: "webhooks" }),
    prefix: webhooksEnv.QUEUE_PREFIX,
    webhookSecrets,
  });
  closables.push({ name: "webhooks", close: webhooks.close });
  console.log(`webhooks listening on ${webhooks.url}`);

  const worker = await startWorker({
    env: workerEnv,
    logger: logger.child({ app: "worker" }),
    prefix: workerEnv.QUEUE_PREFIX,
    replicate,
    checkModels: Boolean(webhooksEnv.REPLICATE_API_TOKEN),
    lockDurationMs: workerEnv.QUEUE_LOCK_SECONDS * 1000,
    config: {
      reconcileEveryMs: workerEnv.RECONCILE_INTERVAL_SECONDS * 1000,
      staleAfterMs: workerEnv.RECONCILE_STALE_SECONDS * 1000,
    },
  });
  closables.push({ name: "worker", close: worker.close });

  if (discordEnv.enabled) {
    const discord = await startDiscordApp({
      env: discordEnv,
      logger: logger.child({ app: "discord" }),
      prefix: discordEnv.QUEUE_PREFIX,
    });
    closables.push({ name: "discord", close: discord.close });
    console.log(`discord connected as ${discord.bot.client.user?.tag ?? "the bot"}`);
  }
  if (slackEnv.mode !== "off") {
    const slack = await startSlackApp({
      env: slackEnv,
      logger: logger.child({ app: "slack" }),
      prefix: slackEnv.QUEUE_PREFIX,
    });
    closables.push({ name: "slack", close: slack.close });
    console.log(
      slack.url ? `slack listening on ${slack.url}/slack/events` : "slack connected in Socket Mode",
    );
  }

  const access = consoleAccess(consoleEnv);
  if (access.mode === "off") {
    console.log(`console off: ${access.reason}`);
  } else {
    const consoleServer = await startConsole({
      env: consoleEnv,
      access,
      logger: logger.child({ app: "console" }),
      prefix: consoleEnv.QUEUE_PREFIX,
    });
    closables.push({ name: "console", close: consoleServer.close });
    console.log(
      `console listening on ${consoleServer.url}${access.mode === "demo" ? " (demo mode, no login)" : ""}`,
    );
  }
}

runMain("replibot", main);
