import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Logger } from "@replibot/core";
import { createDb } from "@replibot/db";
import { connectRedis, createProducer, createRedis, DEFAULT_QUEUE_PREFIX } from "@replibot/queue";
import { loadCatalog } from "@replibot/replicate";
import { Hono } from "hono";
import type { ConsoleAccess } from "./access.ts";
import { accessGuard, authRoutes } from "./auth/index.ts";
import { dashboardRoutes } from "./dashboard/index.ts";
import type { ConsoleDeps } from "./deps.ts";
import type { ConsoleEnv } from "./env.ts";
import { playgroundRoutes } from "./playground/index.ts";

/** A listening console. */
export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

export interface StartConsoleOptions {
  env: ConsoleEnv;
  access: Exclude<ConsoleAccess, { mode: "off" }>;
  logger: Logger;
  prefix?: string;
}

/** Builds the console's HTTP app: the guard first, then login, dashboard and playground. */
export function createConsoleApp(deps: ConsoleDeps): Hono {
  const app = new Hono();
  app.use("*", accessGuard(deps));
  app.route("/console", authRoutes(deps));
  app.route("/console", dashboardRoutes(deps));
  app.route("/console", playgroundRoutes(deps));
  app.get("/", (c) => c.redirect("/console"));
  return app;
}

/** Connects to Postgres and Redis, then listens on CONSOLE_HOST:CONSOLE_PORT. Migrations are the caller's job. */
export async function startConsole(options: StartConsoleOptions): Promise<ConsoleServer> {
  const { env, logger } = options;
  const database = createDb({ url: env.DATABASE_URL, max: 5 });
  const redis = createRedis({ url: env.REDIS_URL, role: "producer" });
  try {
    await connectRedis(redis, env.REDIS_URL);
  } catch (error) {
    await database.close();
    throw error;
  }
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const deps: ConsoleDeps = {
    env,
    access: options.access,
    db: database.db,
    redis,
    producer: createProducer({ connection: redis, prefix }),
    catalog: await loadCatalog({ file: env.MODELS_FILE }),
    logger,
    prefix,
  };
  const app = createConsoleApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: env.CONSOLE_PORT, hostname: options.access.host }, () =>
      resolve(s),
    );
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/console`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.producer.close();
      redis.disconnect();
      await database.close();
    },
  };
}
