import {
  type ChatPlatforms,
  createConsolePlatform,
  createConsoleStore,
  createDiscordPlatform,
  createDiscordRest,
  createEditGovernor,
  createSlackPlatform,
  type EditGovernor,
} from "@replibot/chat";
import { AppError, attachmentOrigins, type Logger } from "@replibot/core";
import { createDb, createSecretsBox, type Database, type DbHandle, getSlackInstallation } from "@replibot/db";
import {
  type Consumer,
  type ConsumerOptions,
  connectRedis,
  createConsumer,
  createProducer,
  createRedis,
  createSharedCounters,
  DEFAULT_QUEUE_PREFIX,
  markSwept,
  RELAYS_QUEUE,
  startHeartbeat,
} from "@replibot/queue";
import { type Catalog, checkCatalogModels, createReplicateClient, loadCatalog } from "@replibot/replicate";
import { REPLICATE_CREATES_PER_MINUTE, replicateCreateBudget } from "./create-budget.ts";
import type { PipelineConfig, WorkerDeps } from "./deps.ts";
import type { WorkerEnv } from "./env.ts";
import { JobBusyError } from "./finish.ts";
import { pipelineHandlers, relayHandlers } from "./handlers/index.ts";
import { payloadIds } from "./job-log.ts";

/** A running worker process's parts. */
export interface WorkerApp {
  database: DbHandle;
  deps: WorkerDeps;
  /** The BullMQ consumers (jobs and relays), for operators and tests. */
  consumers: Consumer[];
  /** Stops taking jobs, hands back the ones it was relaying, and closes every connection. */
  close(): Promise<void>;
}

/** Options for {@link startWorker}. */
export interface StartWorkerOptions {
  env: Pick<
    WorkerEnv,
    | "DATABASE_URL"
    | "REDIS_URL"
    | "PUBLIC_URL"
    | "MODELS_FILE"
    | "DEFAULT_TENANT_LIMIT_USD"
    | "OPERATOR_MONTHLY_CAP_USD"
    | "DISCORD_TOKEN"
    | "DISCORD_API_BASE_URL"
  > &
    Partial<
      Pick<
        WorkerEnv,
        | "SLACK_BOT_TOKEN"
        | "SLACK_API_URL"
        | "SECRETS_KEY"
        | "CONVERSATION_RETENTION_DAYS"
        | "DISCORD_CDN_ORIGINS"
        | "SLACK_FILES_ORIGINS"
        | "TRANSCRIBE_MAX_BYTES"
        | "TRANSCRIBE_MAX_SECONDS"
        | "CONSOLE_PUBLIC_URL"
        | "CONSOLE_HOST"
        | "CONSOLE_PORT"
      >
    >;
  logger: Logger;
  /** Where Replicate is: the real API with a token, or an emulator. */
  replicate: { baseUrl: string; token: string };
  catalog?: Catalog;
  /** Ask Replicate whether every catalog model and pinned version exists (real Replicate only). */
  checkModels?: boolean;
  prefix?: string;
  /** Jobs queue slots (runs, completions, cancels, sweeps); each job there takes moments. Default 16. */
  concurrency?: number;
  /** Relays followed at once; each is a stream held open for minutes, so many more. Default 64. */
  relayConcurrency?: number;
  /** How long a job's lock lives without renewal: a killed worker's jobs are taken again after it. */
  lockDurationMs?: number;
  /** The job payload versions this worker reads; this release's unless given (tests play the next release). */
  payloadReaders?: ConsumerOptions["payloadReaders"];
  config?: Partial<PipelineConfig>;
  now?: () => number;
}

/** Whether Replicate can deliver webhooks to this URL: public https, or our own emulator on loopback. */
export function webhooksReachable(publicUrl: string, replicateBaseUrl: string): boolean {
  const url = new URL(publicUrl);
  const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(url.hostname);
  const emulator = ["127.0.0.1", "localhost"].includes(new URL(replicateBaseUrl).hostname);
  return emulator ? true : url.protocol === "https:" && !local;
}

/**
 * Slack as the worker writes to it: one workspace's bot token, or the token of the workspace's
 * stored OAuth installation. A worker without either fails Slack jobs with a clear reason.
 */
function slackPlatform(
  env: StartWorkerOptions["env"],
  db: Database,
  governor: EditGovernor,
  logger: Logger,
  onRateLimited: () => void,
) {
  const box = env.SECRETS_KEY ? createSecretsBox(env.SECRETS_KEY) : undefined;
  if (!env.SLACK_BOT_TOKEN && !box) return undefined;
  return createSlackPlatform({
    apiUrl: env.SLACK_API_URL,
    governor,
    logger,
    onRateLimited,
    async botToken(teamId) {
      if (env.SLACK_BOT_TOKEN) return env.SLACK_BOT_TOKEN;
      const installed = box ? await getSlackInstallation(db, box, teamId) : undefined;
      if (!installed) throw new AppError("not_found", "Replibot is not installed in this Slack workspace");
      return installed.botToken;
    },
  });
}

/** Connects to Postgres and Redis and runs the pipeline's handlers. Migrations are the caller's job. */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerApp> {
  const { env, logger } = options;
  const database = createDb({ url: env.DATABASE_URL, max: 10 });
  const connection = createRedis({ url: env.REDIS_URL, role: "worker" });
  const producerConnection = createRedis({ url: env.REDIS_URL, role: "producer" });
  try {
    await connectRedis(connection, env.REDIS_URL);
    await connectRedis(producerConnection, env.REDIS_URL);
  } catch (error) {
    producerConnection.disconnect();
    await database.close();
    throw error;
  }
  const catalog = options.catalog ?? (await loadCatalog({ file: env.MODELS_FILE }));
  const governor = createEditGovernor({ redis: connection });
  // Events for /metrics (apps/webhooks), summed in Redis across every worker.
  const counters = createSharedCounters(producerConnection, options.prefix ?? DEFAULT_QUEUE_PREFIX);
  const rest = createDiscordRest({
    api: env.DISCORD_API_BASE_URL,
    token: env.DISCORD_TOKEN,
    governor,
    onRateLimited: () => counters.inc("platform_429", { platform: "discord" }),
  });
  const platforms: ChatPlatforms = {
    discord: createDiscordPlatform({ rest, governor, now: options.now }),
    slack: slackPlatform(env, database.db, governor, logger, () =>
      counters.inc("platform_429", { platform: "slack" }),
    ),
    // The console's playground: messages in Redis under the deployment's prefix, pushed to the page.
    console: createConsolePlatform({
      store: createConsoleStore({ redis: connection, prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX }),
    }),
  };
  const producer = createProducer({ connection: producerConnection, prefix: options.prefix });
  const config: PipelineConfig = {
    publicUrl: env.PUBLIC_URL,
    defaultLimitNanos: env.DEFAULT_TENANT_LIMIT_USD,
    operatorCapNanos: env.OPERATOR_MONTHLY_CAP_USD,
    queueTimeoutMs: 10 * 60_000,
    interimIntervalMs: 1_000,
    webhooksReachable: webhooksReachable(env.PUBLIC_URL, options.replicate.baseUrl),
    reconcileEveryMs: 15_000,
    conversationRetentionMs: (env.CONVERSATION_RETENTION_DAYS ?? 30) * 86_400_000,
    staleAfterMs: 60_000,
    queuePrefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
    transcribe: {
      origins: attachmentOrigins(env),
      maxBytes: env.TRANSCRIBE_MAX_BYTES ?? 25_000_000,
      maxSeconds: env.TRANSCRIBE_MAX_SECONDS ?? 600,
    },
    replicateCreatesPerMinute: REPLICATE_CREATES_PER_MINUTE,
    ...options.config,
  };
  const deps: WorkerDeps = {
    db: database.db,
    redis: connection,
    replicate: createReplicateClient({ ...options.replicate, logger }),
    catalog,
    platforms,
    governor,
    createBudget: replicateCreateBudget(options.replicate, config.replicateCreatesPerMinute),
    producer,
    logger,
    config,
    counters,
    now: options.now ?? Date.now,
  };
  if (options.checkModels) {
    const problems = await checkCatalogModels(deps.replicate, catalog);
    for (const problem of problems)
      logger.error({ model: problem.model }, `model catalog: ${problem.message}`);
  }
  const onError = (error: unknown) => logger.warn({ err: error }, "queue worker error");
  // A newer release's job (a rolling deploy) is put back for a worker that reads it; counted for /metrics.
  const onDeferred = ({ version }: { version: number }) =>
    counters.inc("payload_deferred", { version: String(version) });
  const consumer = createConsumer({
    connection,
    prefix: options.prefix,
    handlers: pipelineHandlers(deps),
    concurrency: options.concurrency,
    lockDurationMs: options.lockDurationMs,
    onError,
    logger,
    onDeferred,
    payloadReaders: options.payloadReaders,
  });
  // Relays wait on streams for minutes: their own queue and slots keep the jobs queue's free.
  const relays = createConsumer({
    connection,
    prefix: options.prefix,
    queue: RELAYS_QUEUE,
    handlers: relayHandlers(deps),
    concurrency: options.relayConcurrency ?? 64,
    lockDurationMs: options.lockDurationMs,
    onError,
    logger,
    onDeferred,
    payloadReaders: options.payloadReaders,
  });
  for (const { worker } of [consumer, relays]) {
    worker.on("failed", (job, error) => {
      // Another process finishing the same job is expected contention; BullMQ retries it shortly.
      const level = error instanceof JobBusyError ? "debug" : "warn";
      logger[level]({ err: error, job: job?.id, ...payloadIds(job?.data) }, "job attempt failed");
    });
  }
  await Promise.all([consumer.worker.waitUntilReady(), relays.worker.waitUntilReady()]);
  // The sweep's schedule lives in Redis: a Redis that restarted empty has none, and then nothing
  // would rescue the jobs it lost. So every worker sets it again on reconnect and now and then.
  const schedule = () =>
    producer.schedule("reconcile", {}, config.reconcileEveryMs).catch((error: unknown) => {
      logger.warn({ err: error }, "could not schedule the reconciler; trying again later");
    });
  await producer.schedule("reconcile", {}, config.reconcileEveryMs);
  // A worker that just started is taking jobs: /healthz must not hold a sweep from long ago against it.
  await markSwept(producerConnection, options.prefix ?? DEFAULT_QUEUE_PREFIX, Date.now());
  producerConnection.on("ready", () => void schedule());
  const rescheduler = setInterval(() => void schedule(), Math.min(60_000, config.reconcileEveryMs * 4));
  rescheduler.unref();
  // /healthz (apps/webhooks) reads this: a worker that died, hangs or stopped taking jobs turns it red.
  const heartbeat = startHeartbeat({
    redis: producerConnection,
    prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
    app: "worker",
    check: () => {
      const stopped = [consumer, relays].filter(({ worker }) => !worker.isRunning() || worker.isPaused());
      return stopped.length === 0
        ? { healthy: true, problems: [] }
        : {
            healthy: false,
            problems: [`not taking jobs from the ${stopped.map((c) => c.worker.name).join(" and ")} queue`],
          };
    },
  });
  if (!config.webhooksReachable) {
    logger.warn(
      { publicUrl: env.PUBLIC_URL },
      "PUBLIC_URL is not public https: predictions are followed by polling",
    );
  }
  logger.info("worker consuming jobs");
  return {
    database,
    deps,
    consumers: [consumer, relays],
    async close() {
      clearInterval(rescheduler);
      await heartbeat.stop();
      await counters.stop();
      // Together: relays hand their jobs back while runs finish, both through the producer, closed after.
      await Promise.all([consumer.close(), relays.close()]);
      await producer.close();
      await connection.quit().catch(() => connection.disconnect());
      await producerConnection.quit().catch(() => producerConnection.disconnect());
      await database.close();
    },
  };
}
