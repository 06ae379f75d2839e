/** `npm start -w @replibot/slack`: the Slack app alone, for scaling out. */
import { createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { loadSlackEnv } from "./env.ts";
import { startSlackApp } from "./slack-app.ts";

runMain("slack", async () => {
  const env = loadSlackEnv();
  const logger = createLogger({ name: "slack", level: env.LOG_LEVEL });
  await migrate(env.DATABASE_URL);
  const app = await startSlackApp({ env, logger, prefix: env.QUEUE_PREFIX });
  installShutdown(() => [{ name: "slack", close: app.close }], logger);
});
