import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { databaseUnavailable } from "./connection-error.ts";
import { parseDatabaseUrl, withDatabase } from "./database-url.ts";

/** The SQL that drizzle-kit wrote, at the repository root. */
export const migrationsFolder = fileURLToPath(new URL("../../../migrations", import.meta.url));

// Any constant works; it only has to be the same in every process.
const MIGRATION_LOCK_KEY = 727_465_310;

/** Creates the database named in `url` when it does not exist; safe when several processes race. */
export async function ensureDatabase(url: string): Promise<void> {
  const { database } = parseDatabaseUrl(url);
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${database}`;
    if (rows.length > 0) return;
    try {
      await admin.unsafe(`create database "${database.replaceAll('"', '""')}"`);
    } catch (error) {
      // 42P04: another process created it first; 23505: the same race seen through the catalog index.
      const code = (error as { code?: string }).code;
      if (code !== "42P04" && code !== "23505") throw error;
    }
  } catch (error) {
    throw databaseUnavailable(url, error);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * Creates the database if missing, then applies pending migrations under a Postgres advisory lock,
 * so replicas that start together apply each migration once. Applying twice is a no-op.
 */
export async function migrate(url: string): Promise<void> {
  await ensureDatabase(url);
  const client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await drizzleMigrate(drizzle(client), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } catch (error) {
    throw databaseUnavailable(url, error);
  } finally {
    await client.end({ timeout: 5 });
  }
}
