import { AppError, scrubSecrets } from "@replibot/core";
import { describeDatabaseUrl } from "./database-url.ts";

/** Wraps a driver error into one line that names DATABASE_URL and the cause, with no password. */
export function databaseUnavailable(url: string, error: unknown): AppError {
  const code = (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const reason = code && !message.includes(code) ? `${code}: ${message}` : message;
  return new AppError(
    "database_unavailable",
    `DATABASE_URL: cannot use Postgres at ${describeDatabaseUrl(url)} (${scrubSecrets(reason)})`,
    { cause: error },
  );
}
