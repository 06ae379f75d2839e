/** `npm start -w @replibot/worker`: a worker alone, for scaling out. */
import { createLogger, installShutdown, runMain } from "@replibot/core";
import { migrate } from "@replibot/db";
import { resolveReplicateConnection } from "@replibot/replicate";
import { loadWorkerEnv } from "./env.ts";
import { startWorker } from "./worker.ts";

runMain("worker", async () => {
  const env = loadWorkerEnv();
  const replicate = resolveReplicateConnection({
    token: env.REPLICATE_API_TOKEN,
    baseUrl: env.REPLICATE_API_BASE_URL,
  });
  const logger = createLogger({ name: "worker", level: env.LOG_LEVEL });
  await migrate(env.DATABASE_URL);
  const worker = await startWorker({
    env,
    logger,
    replicate,
    checkModels: Boolean(env.REPLICATE_API_TOKEN),
    prefix: env.QUEUE_PREFIX,
    lockDurationMs: env.QUEUE_LOCK_SECONDS * 1000,
    config: {
      reconcileEveryMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
      staleAfterMs: env.RECONCILE_STALE_SECONDS * 1000,
    },
  });
  installShutdown(() => [{ name: "worker", close: worker.close }], logger);
});
