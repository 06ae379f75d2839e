import { AppError, type AppErrorCode, scrubSecrets } from "@replibot/core";
import { type CallRecord, detailOf } from "./call-fetch.ts";

/** Structured facts about a failed Replicate call, carried as the AppError's `cause`. */
export interface ReplicateErrorDetails {
  /** HTTP status, or 0 when no response came back. */
  status: number;
  /** For 422: the input fields Replicate rejected, e.g. `input.prompt`. */
  fields?: string[];
  retryAfterMs?: number;
}

/** The AppError code for an HTTP status from Replicate. */
export function codeForStatus(status: number): AppErrorCode {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not_found";
  if (status === 400 || status === 413 || status === 422) return "invalid_input";
  if (status === 429) return "rate_limited";
  return "upstream_error";
}

/**
 * Turns whatever the official client threw into one AppError with a code. The client's ApiError is
 * deliberately NOT kept as the cause: it holds the Request, whose Authorization header carries the
 * token, and a logger serialising causes would print it. Every message is scrubbed of the token.
 */
export function toAppError(error: unknown, record: CallRecord, what: string, token: string): AppError {
  const redact = (text: string) => scrubSecrets(token === "" ? text : text.replaceAll(token, "[redacted]"));
  if (error instanceof AppError) {
    return error.message === redact(error.message)
      ? error
      : new AppError(error.code, redact(error.message), { cause: error.cause });
  }
  const status = statusOf(error);
  if (status !== undefined) {
    const body = record.lastErrorBody ?? "";
    const fields = status === 422 ? invalidFields(body) : [];
    const fieldText = fields.length > 0 ? ` (fields: ${fields.join(", ")})` : "";
    const details: ReplicateErrorDetails = fields.length > 0 ? { status, fields } : { status };
    return new AppError(
      codeForStatus(status),
      redact(`Replicate ${what} failed with status ${status}${fieldText}: ${detailOf(body)}`),
      { cause: details },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  // Nothing reached the wire: the client refused our arguments (bad webhook URL, bad file...).
  const code: AppErrorCode = record.responses === 0 ? "invalid_input" : "upstream_error";
  return new AppError(code, redact(`Replicate ${what} failed: ${message}`), { cause: { status: 0 } });
}

/** The HTTP status of the client's ApiError (duck-typed: its Response may come from another realm). */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("response" in error)) return undefined;
  const { response } = error as { response: unknown };
  if (typeof response !== "object" || response === null || !("status" in response)) return undefined;
  return typeof response.status === "number" ? response.status : undefined;
}

/** `invalid_fields[].field` of a 422 body, made specific where Replicate names the input key. */
function invalidFields(bodyText: string): string[] {
  try {
    const body = JSON.parse(bodyText) as { invalid_fields?: unknown };
    if (!Array.isArray(body.invalid_fields)) return [];
    return body.invalid_fields.flatMap((item: unknown) => {
      if (typeof item !== "object" || item === null) return [];
      const { field, description } = item as { field?: unknown; description?: unknown };
      if (typeof field !== "string") return [];
      return [typeof description === "string" && description !== "" ? `${field}: ${description}` : field];
    });
  } catch {
    return [];
  }
}
