import { pingDatabase } from "@replibot/db";
import { pingRedis } from "@replibot/queue";
import type { Redis } from "ioredis";
import type postgres from "postgres";

/** The health of what this process depends on. */
export interface HealthReport {
  ok: boolean;
  database: "up" | "down";
  redis: "up" | "down";
}

/** Checks Postgres and Redis at once, each with its own timeout. */
export async function checkHealth(sql: postgres.Sql, redis: Redis): Promise<HealthReport> {
  const [databaseUp, redisUp] = await Promise.all([pingDatabase(sql), pingRedis(redis)]);
  return {
    ok: databaseUp && redisUp,
    database: databaseUp ? "up" : "down",
    redis: redisUp ? "up" : "down",
  };
}
