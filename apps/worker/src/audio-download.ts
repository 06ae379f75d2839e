import { onAllowedOrigin } from "@replibot/core";

/** A downloaded file, or why it was not downloaded, in words a member can read. */
export type DownloadResult =
  | { ok: true; bytes: Uint8Array; contentType: string }
  | { ok: false; reason: string; code: "foreign_origin" | "too_large" | "unavailable" };

/** Options of {@link downloadMemberFile}. */
export interface DownloadOptions {
  /** Exact origins the file (and every redirect) must be on. */
  origins: readonly string[];
  /** Authorization for the platform's file host; sent only to `origins`. */
  headers?: Record<string, string>;
  maxBytes: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 3;

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

/** Why a file over the cap is not transcribed, whether its size was declared or seen while reading. */
export function tooLargeReason(maxBytes: number): string {
  return `the file is larger than ${megabytes(maxBytes)}, the most Replibot transcribes`;
}

/** Reads a body, stopping as soon as it passes `maxBytes` (a lying or absent Content-Length). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const joined = Buffer.concat(chunks);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
}

/**
 * Downloads a member's file from the platform's own file host: the URL and every redirect must be
 * on one of `origins` exactly (anything else is refused before a byte is fetched from it), and the
 * body may not pass `maxBytes`. A login page where a file should be (Slack without `files:read`)
 * is not a file.
 */
export async function downloadMemberFile(url: string, options: DownloadOptions): Promise<DownloadResult> {
  const fetcher = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!onAllowedOrigin(current, options.origins)) {
      return {
        ok: false,
        code: "foreign_origin",
        reason:
          hop === 0
            ? "the file is not on the platform's own file host, so Replibot will not fetch it"
            : "the file's link led to another host, so Replibot did not follow it",
      };
    }
    let response: Response;
    try {
      response = await fetcher(current, { headers: options.headers, redirect: "manual", signal });
    } catch {
      return { ok: false, code: "unavailable", reason: "the file could not be downloaded" };
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      await response.body?.cancel().catch(() => {});
      if (!location) return { ok: false, code: "unavailable", reason: "the file could not be downloaded" };
      current = new URL(location, current).toString();
      continue;
    }
    if (response.status === 404 || response.status === 403 || response.status === 410) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, code: "unavailable", reason: "the file is no longer available" };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, code: "unavailable", reason: `the file host answered ${response.status}` };
    }
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType === "text/html") {
      await response.body?.cancel().catch(() => {});
      return {
        ok: false,
        code: "unavailable",
        reason: "the file host sent a web page instead of the file (is Replibot allowed to read files here?)",
      };
    }
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    const tooLarge = {
      ok: false as const,
      code: "too_large" as const,
      reason: tooLargeReason(options.maxBytes),
    };
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel().catch(() => {});
      return tooLarge;
    }
    const bytes = await readCapped(response, options.maxBytes).catch(() => null);
    if (bytes === null) return { ok: false, code: "unavailable", reason: "the file could not be downloaded" };
    if (bytes === undefined) return tooLarge;
    return { ok: true, bytes, contentType };
  }
  return { ok: false, code: "unavailable", reason: "the file's link redirected too many times" };
}
