/** Event names on a Replicate prediction stream. */
export type StreamEventName = "output" | "logs" | "error" | "done";

/** One server-sent event as stored for replay. */
export interface StreamEvent {
  event: StreamEventName;
  id: string;
  data: string;
}

/** The comment nchan opens every stream with; clients ignore it. */
export const sseOpening = ": hi\n\n";

/**
 * Frames one event. `data: ` keeps exactly one space so a token's own leading space survives the
 * parser; each line of the payload gets its own `data:` line; `\r\n` becomes `\n` and a lone `\r`
 * is dropped because SSE treats it as a line break that could not be carried.
 */
export function formatSseEvent(event: StreamEvent): string {
  const payload = event.data.replace(/\r\n/g, "\n").replace(/\r/g, "");
  const dataLines = payload
    .split("\n")
    .map((line) => `data: ${line}\n`)
    .join("");
  return `event: ${event.event}\nid: ${event.id}\n${dataLines}\n`;
}
