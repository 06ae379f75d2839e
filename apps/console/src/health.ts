import { pingDatabase } from "@replibot/db";
import { pingRedis } from "@replibot/queue";
import type { ConsoleDeps } from "./deps.ts";

/** The console's own health, as its GET /healthz reports it. */
export interface ConsoleHealth {
  ok: boolean;
  database: "up" | "down";
  redis: "up" | "down";
  /** The subscription that pushes playground messages to pages. */
  events: "up" | "down";
}

/** Checks Postgres, Redis and the playground's event subscription at once. */
export async function consoleHealth(
  deps: Pick<ConsoleDeps, "sql" | "redis" | "events">,
): Promise<ConsoleHealth> {
  const [databaseUp, redisUp] = await Promise.all([pingDatabase(deps.sql), pingRedis(deps.redis)]);
  const eventsUp = deps.events.connected();
  return {
    ok: databaseUp && redisUp && eventsUp,
    database: databaseUp ? "up" : "down",
    redis: redisUp ? "up" : "down",
    events: eventsUp ? "up" : "down",
  };
}
