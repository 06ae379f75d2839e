import { createLogger, type Logger } from "@replibot/core";
import { getJob, type JobRow } from "@replibot/db";
import { createEmulator, type Emulator, type EmulatorOptions } from "@replibot/emulator";
import { type Catalog, loadCatalog } from "@replibot/replicate";
import { startWebhooksServer, type WebhooksServer } from "@replibot/webhooks";
import { type PipelineConfig, type StartWorkerOptions, startWorker, type WorkerApp } from "@replibot/worker";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import { createTestRedis, type TestRedis } from "./test-redis.ts";

/** The METRICS_TOKEN of every test stack's webhooks service. */
export const TEST_METRICS_TOKEN = "test-metrics-token-0123456789";

/** What every platform's test stack shares: Postgres, Redis, the emulator, webhooks and workers. */
export interface PipelineOptions {
  label: string;
  emulator?: EmulatorOptions;
  pipeline?: Partial<PipelineConfig>;
  /** Changes the built-in catalog before anything uses it. */
  catalog?: (catalog: Catalog) => Catalog;
  defaultLimitUsd?: bigint;
  /** Each worker's jobs queue and relays queue slots; the worker's defaults otherwise. */
  slots?: Pick<StartWorkerOptions, "concurrency" | "relayConcurrency">;
  /** Where every app logs; silent by default. */
  logger?: Logger;
  /** The Replicate token the workers send (the emulator takes any); `r8_test` by default. */
  replicateToken?: string;
}

/** How a worker reaches the chat platforms under test. */
export type PlatformEnv = Partial<
  Pick<
    StartWorkerOptions["env"],
    | "DISCORD_TOKEN"
    | "DISCORD_API_BASE_URL"
    | "SLACK_BOT_TOKEN"
    | "SLACK_API_URL"
    | "SECRETS_KEY"
    | "DISCORD_CDN_ORIGINS"
    | "SLACK_FILES_ORIGINS"
    | "TRANSCRIBE_MAX_BYTES"
    | "TRANSCRIBE_MAX_SECONDS"
    | "CONSOLE_PUBLIC_URL"
  >
>;

/** The shared part of a test stack, running in-process. */
export interface Pipeline {
  logger: Logger;
  database: TestDatabase;
  redis: TestRedis;
  emulator: Emulator;
  webhooks: WebhooksServer;
  catalog: Catalog;
  /** The newest worker. */
  readonly worker: WorkerApp;
  /** Starts a worker (another replica's worth of handlers) writing to the given platforms. */
  startWorker(platforms: PlatformEnv): Promise<WorkerApp>;
  /** The job, once its final message was written. */
  finished(jobId: string, timeoutMs?: number): Promise<JobRow>;
  /** The text a job's prediction produced, as the emulator reports it. */
  answerOf(job: JobRow): string;
  /** Stops workers, webhooks and the emulator, and removes the database and Redis keys. */
  close(): Promise<void>;
}

/** Starts the database, Redis prefix, emulator and webhooks service of one test file. */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const logger =
    options.logger ?? createLogger({ name: options.label, level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const database = await createTestDatabase(options.label);
  const redis = createTestRedis(options.label);
  const emulator = await createEmulator({ tokensPerSecond: 40, ...options.emulator });
  const catalog = (options.catalog ?? ((c) => c))(await loadCatalog());
  const webhooks = await startWebhooksServer({
    env: { DATABASE_URL: database.url, REDIS_URL: redis.url, PORT: 0, METRICS_TOKEN: TEST_METRICS_TOKEN },
    logger,
    webhookSecrets: [emulator.webhookSecret],
    host: "127.0.0.1",
    prefix: redis.prefix,
  });
  const workers: WorkerApp[] = [];
  return {
    logger,
    database,
    redis,
    emulator,
    webhooks,
    catalog,
    get worker() {
      const worker = workers.at(-1);
      if (!worker) throw new Error("no worker started");
      return worker;
    },
    async startWorker(platforms) {
      const worker = await startWorker({
        env: {
          DATABASE_URL: database.url,
          REDIS_URL: redis.url,
          PUBLIC_URL: webhooks.url,
          MODELS_FILE: undefined,
          DEFAULT_TENANT_LIMIT_USD: (options.defaultLimitUsd ?? 5n) * 1_000_000_000n,
          DISCORD_TOKEN: undefined,
          DISCORD_API_BASE_URL: undefined,
          ...platforms,
        },
        logger,
        replicate: { baseUrl: emulator.baseUrl, token: options.replicateToken ?? "r8_test" },
        catalog,
        prefix: redis.prefix,
        ...options.slots,
        config: { interimIntervalMs: 250, reconcileEveryMs: 500, staleAfterMs: 1_500, ...options.pipeline },
      });
      workers.push(worker);
      return worker;
    },
    finished(jobId, timeoutMs = 30_000) {
      return eventually(
        async () => {
          const job = await getJob(database.db, jobId);
          return job?.finalWrittenAt ? job : undefined;
        },
        timeoutMs,
        `${jobId} to finish`,
      );
    },
    answerOf(job) {
      const output = emulator.control.prediction(job.predictionId ?? "")?.prediction.output;
      return Array.isArray(output) ? output.join("") : "";
    },
    async close() {
      for (const worker of workers) await worker.close().catch(() => {});
      await webhooks.close();
      await emulator.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
