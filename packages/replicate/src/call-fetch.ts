import { AppError, type Logger } from "@replibot/core";
import { parseRetryAfterMs } from "./retry-after.ts";

/** The `fetch` signature the official client calls (it passes a URL object). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Abortable sleep; tests inject one that records the delays. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How the wrapper retries; shared by every call of one client. */
export interface RetryPolicy {
  /** Retries after the first attempt, for 429s (any method) and 5xx or network errors (GET only). */
  maxRetries: number;
  /** First back-off step; doubles per attempt. */
  retryBaseDelayMs: number;
  /** Longest single wait; a Retry-After beyond it gives up at once with `rate_limited`. */
  maxRetryDelayMs: number;
}

/** Options of {@link createCallFetch}. */
export interface CallFetchOptions extends RetryPolicy {
  fetch: FetchLike;
  sleep: Sleep;
  nowMs: () => number;
  logger?: Logger;
  /** Headers for this one call only, e.g. `Cancel-After` on a create. */
  extraHeaders?: Record<string, string>;
}

/** What one logical call saw on the wire, for turning the client's errors into AppErrors. */
export interface CallRecord {
  /** HTTP responses received (all attempts). */
  responses: number;
  /** Status and body of the last non-2xx response handed to the official client. */
  lastErrorStatus?: number;
  lastErrorBody?: string;
  /** Set once this call has given up; every later invocation rethrows it without a request. */
  failure?: unknown;
}

/**
 * A fetch for ONE logical API call of the official client (one client instance per call, so
 * concurrent creates never share a `Cancel-After` or a give-up state).
 *
 * The official client retries 429s (and GET 5xx) up to 5 more times back to back, ignoring
 * Retry-After, and its retry loop also swallows errors thrown by fetch and calls again. So this
 * wrapper does the waiting itself and, once it gives up, throws an AppError and keeps throwing
 * that same error on every later invocation: the client's loop then burns through its attempts
 * without a single extra request and finally rethrows our error. A 429 never reaches the client.
 * POSTs are never retried on 5xx or network errors: a create that reached Replicate and is sent
 * again would be a second paid prediction.
 */
export function createCallFetch(options: CallFetchOptions): { fetch: FetchLike; record: CallRecord } {
  const record: CallRecord = { responses: 0 };
  const backoffMs = (attempt: number) =>
    Math.min(options.maxRetryDelayMs, options.retryBaseDelayMs * 2 ** attempt);

  const fail = (error: unknown): never => {
    record.failure = error;
    throw error;
  };

  // An aborted pause ends the call for good; otherwise the client's loop would just call again.
  const pause = async (ms: number, signal: AbortSignal | undefined) => {
    try {
      await options.sleep(ms, signal);
    } catch (error) {
      fail(error);
    }
  };

  const callFetch: FetchLike = async (input, init) => {
    if (record.failure !== undefined) throw record.failure;
    const method = (init?.method ?? "GET").toUpperCase();
    const idempotent = method === "GET";
    const path = pathOf(input);
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(options.extraHeaders ?? {})) headers.set(name, value);
    const signal = init?.signal ?? undefined;

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await options.fetch(input, { ...init, headers });
      } catch (error) {
        if (signal?.aborted) return fail(error);
        if (idempotent && attempt < options.maxRetries) {
          await pause(backoffMs(attempt), signal);
          continue;
        }
        return fail(
          new AppError("upstream_error", `Replicate ${method} ${path}: network error: ${messageOf(error)}`, {
            cause: { status: 0 },
          }),
        );
      }
      record.responses++;

      const retryable = response.status === 429 || (idempotent && response.status >= 500);
      if (!retryable) {
        if (!response.ok) {
          record.lastErrorStatus = response.status;
          record.lastErrorBody = await response.clone().text();
        }
        return response;
      }

      const bodyText = await response.text();
      const retryAfterMs = parseRetryAfterMs(response.headers, bodyText, options.nowMs());
      const delayMs = Math.max(retryAfterMs ?? 0, backoffMs(attempt));
      if (attempt < options.maxRetries && delayMs <= options.maxRetryDelayMs) {
        options.logger?.warn(
          { method, path, status: response.status, attempt: attempt + 1, delayMs },
          "Replicate request refused; retrying after a pause",
        );
        await pause(delayMs, signal);
        continue;
      }
      const code = response.status === 429 ? "rate_limited" : "upstream_error";
      const after = retryAfterMs === undefined ? "" : ` (retry after ${retryAfterMs} ms)`;
      return fail(
        new AppError(
          code,
          `Replicate ${method} ${path} failed with status ${response.status} after ${attempt + 1} attempt(s)${after}: ${detailOf(bodyText)}`,
          { cause: { status: response.status, retryAfterMs } },
        ),
      );
    }
  };
  return { fetch: callFetch, record };
}

function pathOf(input: string | URL | Request): string {
  const url = input instanceof Request ? input.url : String(input);
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The human part of a problem+json body, or the first 200 characters of whatever came back. */
export function detailOf(bodyText: string): string {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body === "object" && body !== null) {
      const { title, detail } = body as { title?: unknown; detail?: unknown };
      const parts = [title, detail].filter((part): part is string => typeof part === "string" && part !== "");
      if (parts.length > 0) return parts.join(": ").trim();
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return bodyText.slice(0, 200).trim() || "(empty body)";
}
