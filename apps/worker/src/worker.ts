import type { Logger } from "@replibot/core";
import { createDb, type DbHandle } from "@replibot/db";
import { connectRedis, createConsumer, createRedis, type Handlers } from "@replibot/queue";
import type { WorkerEnv } from "./env.ts";

/** A running worker process's parts. */
export interface WorkerApp {
  database: DbHandle;
  /** Stops taking jobs, lets running ones hand back, and closes every connection. */
  close(): Promise<void>;
}

/** Options for {@link startWorker}. */
export interface StartWorkerOptions {
  env: Pick<WorkerEnv, "DATABASE_URL" | "REDIS_URL">;
  logger: Logger;
  /** The job handlers this process runs; each later stage of the pipeline adds its own. */
  handlers?: Handlers;
  prefix?: string;
  concurrency?: number;
}

/** Connects to Postgres and Redis and consumes the jobs queue. Migrations are the caller's job. */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerApp> {
  const { env, logger } = options;
  const database = createDb({ url: env.DATABASE_URL, max: 10 });
  const connection = createRedis({ url: env.REDIS_URL, role: "worker" });
  try {
    await connectRedis(connection, env.REDIS_URL);
  } catch (error) {
    await database.close();
    throw error;
  }
  const consumer = createConsumer({
    connection,
    prefix: options.prefix,
    handlers: options.handlers ?? {},
    concurrency: options.concurrency,
    onError: (error) => logger.warn({ err: error }, "queue worker error"),
  });
  await consumer.worker.waitUntilReady();
  logger.info("worker consuming jobs");
  return {
    database,
    async close() {
      await consumer.close();
      await connection.quit().catch(() => connection.disconnect());
      await database.close();
    },
  };
}
