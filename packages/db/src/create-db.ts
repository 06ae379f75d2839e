import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { parseDatabaseUrl } from "./database-url.ts";
import * as schema from "./schema.ts";

/** The typed database handle every app and test uses. */
export type Database = PostgresJsDatabase<typeof schema>;

/** A database handle with the raw client beside it and a way to close both. */
export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** Options for {@link createDb}. */
export interface CreateDbOptions {
  url: string;
  /** Pool size; tests keep it small so many files can run at once. */
  max?: number;
  connectTimeoutSecs?: number;
}

/** Opens a postgres.js pool and its drizzle wrapper; nothing connects until the first query. */
export function createDb(options: CreateDbOptions): DbHandle {
  parseDatabaseUrl(options.url);
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeoutSecs ?? 5,
    idle_timeout: 20,
    onnotice: () => {},
    // bigint columns come back as bigint, never as lossy numbers.
    types: { bigint: postgres.BigInt },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
