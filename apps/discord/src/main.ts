/** `npm start -w @replibot/discord`: the Discord app alone, for scaling out. */
import { createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { startDiscordApp } from "./discord-app.ts";
import { loadDiscordEnv } from "./env.ts";

runMain("discord", async () => {
  const env = loadDiscordEnv();
  const logger = createLogger({ name: "discord", level: env.LOG_LEVEL });
  await migrate(env.DATABASE_URL);
  const app = await startDiscordApp({ env, logger, prefix: env.QUEUE_PREFIX });
  installShutdown(() => [{ name: "discord", close: app.close }], logger);
});
