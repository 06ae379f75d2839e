/** `npm start -w @replibot/console`: the console alone (the worker and webhooks run elsewhere). */
import { createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { consoleAccess } from "./access.ts";
import { loadConsoleEnv } from "./env.ts";
import { startConsole } from "./server.ts";

runMain("console", async () => {
  const env = loadConsoleEnv();
  const logger = createLogger({ name: "console", level: env.LOG_LEVEL });
  const access = consoleAccess(env);
  if (access.mode === "off") {
    console.log(`console off: ${access.reason}`);
    return;
  }
  await migrate(env.DATABASE_URL);
  const server = await startConsole({ env, access, logger, prefix: env.QUEUE_PREFIX });
  installShutdown(() => [{ name: "console", close: server.close }], logger);
  console.log(`console listening on ${server.url}${access.mode === "demo" ? " (demo mode, no login)" : ""}`);
});
