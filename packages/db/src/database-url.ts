import { AppError } from "@replibot/core";

/** The parts of a postgres:// URL we name in messages, never with its password. */
export interface DatabaseUrlParts {
  host: string;
  port: number;
  database: string;
}

/** Reads host, port and database name from a postgres:// URL; throws config_invalid when malformed. */
export function parseDatabaseUrl(url: string): DatabaseUrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError(
      "config_invalid",
      "DATABASE_URL: not a URL (expected postgres://user@host:5432/database)",
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new AppError(
      "config_invalid",
      `DATABASE_URL: scheme must be postgres://, not ${parsed.protocol}//`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!database || database.includes("/")) {
    throw new AppError("config_invalid", "DATABASE_URL: names no database (expected …/database at the end)");
  }
  return { host: parsed.hostname || "localhost", port: Number(parsed.port || 5432), database };
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** "host:port/database", safe to print. */
export function describeDatabaseUrl(url: string): string {
  const { host, port, database } = parseDatabaseUrl(url);
  return `${host}:${port}/${database}`;
}
