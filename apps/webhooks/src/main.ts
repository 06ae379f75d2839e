/** `npm start -w @replibot/webhooks`: this service alone, for scaling out. */
import { createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { loadWebhooksEnv } from "./env.ts";
import { startWebhooksServer } from "./server.ts";

runMain("webhooks", async () => {
  const env = loadWebhooksEnv();
  const logger = createLogger({ name: "webhooks", level: env.LOG_LEVEL });
  await migrate(env.DATABASE_URL);
  const server = await startWebhooksServer({ env, logger });
  installShutdown(() => [{ name: "webhooks", close: server.close }], logger);
  console.log(`webhooks listening on ${server.url}`);
});
