/** Every failure code the service can raise; callers switch on it exhaustively. */
export type AppErrorCode =
  | "config_invalid"
  | "database_unavailable"
  | "redis_unavailable"
  | "invalid_input"
  | "not_found"
  | "unauthorized"
  | "rate_limited"
  | "upstream_error"
  | "payload_invalid"
  | "internal";

/** The one error class the service throws; `code` tells the caller what to do. */
export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
  }
}

/** True when `error` is an AppError, optionally with the given code. */
export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** Compile-time exhaustiveness check for `switch` statements over unions. */
export function assertNever(value: never): never {
  throw new AppError("internal", `unexpected value: ${JSON.stringify(value)}`);
}
