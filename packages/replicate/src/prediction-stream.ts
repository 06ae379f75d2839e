import { AppError } from "@replibot/core";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { FetchLike } from "./call-fetch.ts";
import { codeForStatus } from "./to-app-error.ts";

/**
 * One event of a prediction's SSE stream. `output` and `logs` text is exact: leading spaces and
 * newlines are part of a token and are kept.
 */
export type PredictionStreamEvent =
  | { type: "output"; id?: string; text: string }
  | { type: "logs"; id?: string; text: string }
  | { type: "error"; id?: string; message: string }
  | { type: "done"; id?: string; reason?: string };

/**
 * Decodes an SSE byte stream into typed events, whatever the chunk boundaries (bytes of one UTF-8
 * character may arrive in different chunks). Ends after `done`; a stream that closes without
 * `done` or `error` was cut off, which is an AppError("upstream_error") so the caller can fall
 * back to polling.
 */
export async function* decodePredictionStream(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<PredictionStreamEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const pending: PredictionStreamEvent[] = [];
  const parser = createParser({
    onEvent: (message) => {
      const event = toStreamEvent(message);
      if (event) pending.push(event);
    },
  });
  let sawError = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      for (let event = pending.shift(); event; event = pending.shift()) {
        yield event;
        if (event.type === "done") return;
        if (event.type === "error") sawError = true;
      }
      if (done) break;
    }
  } finally {
    // Stop the download when the consumer leaves early or after `done`.
    await reader.cancel().catch(() => undefined);
  }
  if (!sawError) throw new AppError("upstream_error", "prediction stream closed before its done event");
}

/** Options of {@link readPredictionStream}. */
export interface ReadPredictionStreamOptions {
  fetch: FetchLike;
  signal?: AbortSignal;
}

/**
 * GETs a prediction's `urls.stream` and yields its events. No Authorization header is sent: the
 * stream host needs none, and the token should only ever go to the API host. Aborting the signal
 * ends the iteration by throwing the signal's reason; it does not cancel the prediction.
 */
export async function* readPredictionStream(
  url: string,
  options: ReadPredictionStreamOptions,
): AsyncGenerator<PredictionStreamEvent, void, undefined> {
  const { signal } = options;
  try {
    const response = await options.fetch(url, {
      headers: { Accept: "text/event-stream", "Cache-Control": "no-store" },
      signal,
    });
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new AppError(
        codeForStatus(response.status),
        `prediction stream failed with status ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    const contentType = response.headers.get("content-type") ?? "";
    if (!contentType.includes("text/event-stream") || !response.body) {
      await response.body?.cancel();
      throw new AppError(
        "upstream_error",
        `prediction stream answered with "${contentType}", not an SSE stream`,
      );
    }
    yield* decodePredictionStream(response.body);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

function toStreamEvent(message: EventSourceMessage): PredictionStreamEvent | undefined {
  const id = message.id === undefined ? {} : { id: message.id };
  switch (message.event) {
    case "output":
      return { type: "output", ...id, text: message.data };
    case "logs":
      return { type: "logs", ...id, text: message.data };
    case "error":
      return { type: "error", ...id, message: errorMessageOf(message.data) };
    case "done": {
      const reason = reasonOf(message.data);
      return reason === undefined ? { type: "done", ...id } : { type: "done", ...id, reason };
    }
    default:
      // Unnamed or unknown events carry nothing we act on.
      return undefined;
  }
}

function errorMessageOf(data: string): string {
  const parsed = parseJsonObject(data);
  return typeof parsed?.detail === "string" ? parsed.detail : data;
}

function reasonOf(data: string): string | undefined {
  const parsed = parseJsonObject(data);
  return typeof parsed?.reason === "string" ? parsed.reason : undefined;
}

function parseJsonObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
