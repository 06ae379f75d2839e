/**
 * How long a 429 asks us to wait, in milliseconds: the `Retry-After` header (seconds or an HTTP
 * date), else the body's `retry_after` (seconds, as Replicate's low-credit throttle sends it).
 * Undefined when neither is present or readable.
 */
export function parseRetryAfterMs(headers: Headers, bodyText: string, nowMs: number): number | undefined {
  const header = headers.get("retry-after")?.trim();
  if (header) {
    if (/^\d+(\.\d+)?$/.test(header)) return Math.ceil(Number(header) * 1000);
    const dateMs = Date.parse(header);
    if (!Number.isNaN(dateMs)) return Math.max(0, dateMs - nowMs);
  }
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body === "object" && body !== null && "retry_after" in body) {
      const seconds = Number(body.retry_after);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    }
  } catch {
    // Not JSON: there is no body hint to read.
  }
  return undefined;
}
