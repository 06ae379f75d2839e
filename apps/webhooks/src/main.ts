/** `npm start -w @replibot/webhooks`: this service alone, for scaling out. */
import { createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { createReplicateClient, resolveReplicateConnection } from "@replibot/replicate";
import { loadWebhooksEnv } from "./env.ts";
import { startWebhooksServer } from "./server.ts";

runMain("webhooks", async () => {
  const env = loadWebhooksEnv();
  const logger = createLogger({ name: "webhooks", level: env.LOG_LEVEL });
  const webhookSecrets = env.REPLICATE_WEBHOOK_SECRET ?? [
    await createReplicateClient(
      resolveReplicateConnection({ token: env.REPLICATE_API_TOKEN, baseUrl: env.REPLICATE_API_BASE_URL }),
    ).getWebhookSecret(),
  ];
  await migrate(env.DATABASE_URL);
  const server = await startWebhooksServer({ env, logger, webhookSecrets, prefix: env.QUEUE_PREFIX });
  installShutdown(() => [{ name: "webhooks", close: server.close }], logger);
  console.log(`webhooks listening on ${server.url}`);
});
