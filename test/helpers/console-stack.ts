import type { RequestLimits } from "@replibot/chat";
import {
  type ConsoleAccess,
  type ConsoleEnv,
  type ConsoleServer,
  consoleAccess,
  loadConsoleEnv,
  startConsole,
} from "@replibot/console";
import type { JobRow } from "@replibot/db";
import type { Emulator } from "@replibot/emulator";
import type { Catalog } from "@replibot/replicate";
import type { WebhooksServer } from "@replibot/webhooks";
import type { WorkerApp } from "@replibot/worker";
import { type Pipeline, type PipelineOptions, type PlatformEnv, startPipeline } from "./pipeline.ts";
import type { TestDatabase } from "./test-database.ts";
import type { TestRedis } from "./test-redis.ts";

/** Options for {@link startConsoleStack}. */
export interface ConsoleStackOptions extends PipelineOptions {
  /** ADMIN_PASSWORD: the console runs in password mode; demo mode (no sign-in, loopback) without it. */
  adminPassword?: string;
  /** The playground's abuse limits; raised far above the defaults unless given. */
  limits?: Partial<RequestLimits>;
  /** CONSOLE_DEMO_LIMIT_USD as typed, e.g. "0.50" (the setting's default otherwise). */
  demoLimitUsd?: string;
  /** Any other console settings, as environment strings (they win over the stack's). */
  consoleEnv?: Record<string, string>;
  /** Settings every worker of the stack starts with. */
  workerEnv?: PlatformEnv;
}

/** Every process of Replibot with the console, in-process, against real Postgres and Redis and the emulator. */
export interface ConsoleStack {
  emulator: Emulator;
  database: TestDatabase;
  redis: TestRedis;
  webhooks: WebhooksServer;
  worker: WorkerApp;
  catalog: Catalog;
  pipeline: Pipeline;
  /** The running console. */
  console: ConsoleServer;
  /** The console's settings, as parsed. */
  env: ConsoleEnv;
  access: Exclude<ConsoleAccess, { mode: "off" }>;
  /** The console's origin, e.g. http://127.0.0.1:41234 (pages are under `${origin}/console`). */
  origin: string;
  /** The job, once its final message was written. */
  finished(jobId: string, timeoutMs?: number): Promise<JobRow>;
  /** The text a job's prediction produced, as the emulator reports it. */
  answerOf(job: JobRow): string;
  /** Starts another worker (as a second replica would), with extra settings. */
  startWorker(env?: PlatformEnv): Promise<WorkerApp>;
  /** Stops the console and starts it again with the same settings, on the same port. */
  restartConsole(): Promise<void>;
  close(): Promise<void>;
}

/** Starts Postgres (a database of its own), Redis (a prefix), the emulator, webhooks, the console and a worker. */
export async function startConsoleStack(options: ConsoleStackOptions): Promise<ConsoleStack> {
  const pipeline = await startPipeline(options);
  const { database, redis, logger } = pipeline;
  let env: ConsoleEnv = {
    ...loadConsoleEnv({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: "silent",
      DEFAULT_TENANT_LIMIT_USD: String(options.defaultLimitUsd ?? 5n),
      // Most suites send many requests as one visitor: the abuse limits are raised unless a test sets them.
      USER_REQUESTS_PER_MINUTE: String(options.limits?.requestsPerMinute ?? 10_000),
      USER_ACTIVE_JOBS: String(options.limits?.activePerKind ?? 1_000),
      TENANT_QUEUED_JOBS_MAX: String(options.limits?.tenantQueuedMax ?? 100_000),
      ...(options.adminPassword ? { ADMIN_PASSWORD: options.adminPassword } : {}),
      ...(options.demoLimitUsd ? { CONSOLE_DEMO_LIMIT_USD: options.demoLimitUsd } : {}),
      ...options.consoleEnv,
    }),
    CONSOLE_PORT: 0,
  };
  const decided = consoleAccess(env);
  if (decided.mode === "off") throw new Error(`the console would be off: ${decided.reason}`);
  const access = decided;
  const launch = () =>
    startConsole({ env, access, logger: logger.child({ app: "console" }), prefix: redis.prefix });
  let server: ConsoleServer;
  try {
    server = await launch();
  } catch (error) {
    await pipeline.close();
    throw error;
  }
  // A restart listens on the same port, so the worker's CONSOLE_PUBLIC_URL stays right.
  env = { ...env, CONSOLE_PORT: Number(new URL(server.url).port) };
  // The worker fetches voice notes from the console's own origin, which a test learns only now.
  const launchWorker = (extra: PlatformEnv = {}) =>
    pipeline.startWorker({ CONSOLE_PUBLIC_URL: server.publicOrigin, ...options.workerEnv, ...extra });
  await launchWorker();

  return {
    emulator: pipeline.emulator,
    database,
    redis,
    webhooks: pipeline.webhooks,
    get worker() {
      return pipeline.worker;
    },
    catalog: pipeline.catalog,
    pipeline,
    get console() {
      return server;
    },
    get env() {
      return env;
    },
    access,
    get origin() {
      return new URL(server.url).origin;
    },
    finished: (jobId, timeoutMs) => pipeline.finished(jobId, timeoutMs),
    answerOf: (job) => pipeline.answerOf(job),
    startWorker: launchWorker,
    async restartConsole() {
      await server.close();
      server = await launch();
    },
    async close() {
      await server.close().catch(() => {});
      await pipeline.close();
    },
  };
}
