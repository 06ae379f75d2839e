import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createConsolePlatform, createConsoleStore, createEditGovernor } from "@replibot/chat";
import { consolePublicOrigin, type Logger } from "@replibot/core";
import { createDb } from "@replibot/db";
import {
  connectRedis,
  createProducer,
  createRedis,
  DEFAULT_QUEUE_PREFIX,
  startHeartbeat,
} from "@replibot/queue";
import { loadCatalog } from "@replibot/replicate";
import { Hono } from "hono";
import type { ConsoleAccess } from "./access.ts";
import { accessGuard, authRoutes } from "./auth/index.ts";
import { dashboardRoutes } from "./dashboard/index.ts";
import type { ConsoleDeps } from "./deps.ts";
import type { ConsoleEnv } from "./env.ts";
import { consoleHealth } from "./health.ts";
import { createEventHub } from "./playground/event-hub.ts";
import { fileRoutes } from "./playground/files.ts";
import { playgroundRoutes } from "./playground/index.ts";

/** A listening console. */
export interface ConsoleServer {
  url: string;
  /** The console's origin as the worker reaches it (CONSOLE_PUBLIC_URL, or where it listens). */
  publicOrigin: string;
  close(): Promise<void>;
}

export interface StartConsoleOptions {
  env: ConsoleEnv;
  access: Exclude<ConsoleAccess, { mode: "off" }>;
  logger: Logger;
  prefix?: string;
}

/**
 * Builds the console's HTTP app. Before the guard only what carries no session: GET /healthz
 * (liveness probes) and the playground's files, each under an unguessable URL the worker fetches a
 * voice note from. Then the guard, login, dashboard and playground.
 */
export function createConsoleApp(deps: ConsoleDeps): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const report = await consoleHealth(deps);
    return c.json(report, report.ok ? 200 : 503);
  });
  app.route("/console", fileRoutes(deps));
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
  const store = createConsoleStore({ redis, prefix });
  const events = await createEventHub({ redisUrl: env.REDIS_URL, store, logger }).catch(async (error) => {
    redis.disconnect();
    await database.close();
    throw error;
  });
  let publicOrigin = env.CONSOLE_PUBLIC_URL ? consolePublicOrigin(env) : "";
  const deps: ConsoleDeps = {
    env,
    access: options.access,
    db: database.db,
    sql: database.sql,
    redis,
    producer: createProducer({ connection: redis, prefix }),
    catalog: await loadCatalog({ file: env.MODELS_FILE }),
    logger,
    prefix,
    governor: createEditGovernor({ redis }),
    store,
    platform: createConsolePlatform({ store }),
    events,
    publicOrigin: () => publicOrigin,
  };
  const app = createConsoleApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: env.CONSOLE_PORT, hostname: options.access.host }, () =>
      resolve(s),
    );
    s.once("error", reject);
  }).catch(async (error: unknown) => {
    await events.close();
    await deps.producer.close();
    redis.disconnect();
    await database.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  publicOrigin ||= consolePublicOrigin({ CONSOLE_HOST: options.access.host, CONSOLE_PORT: address.port });
  // /healthz (apps/webhooks) lists it; a console whose event subscription is down says so.
  const heartbeat = startHeartbeat({
    redis,
    prefix,
    app: "console",
    check: () =>
      events.connected()
        ? { healthy: true, problems: [] }
        : { healthy: false, problems: ["the playground's Redis subscription is down"] },
  });
  return {
    url: `http://${host}:${address.port}/console`,
    publicOrigin,
    async close() {
      await heartbeat.stop();
      // Event streams stay open until their pages leave: end them rather than wait.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await events.close();
      await deps.producer.close();
      redis.disconnect();
      await database.close();
    },
  };
}
