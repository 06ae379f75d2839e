import { createHmac, timingSafeEqual } from "node:crypto";
import { Prediction } from "./prediction.ts";

/** Standard Webhooks allows this much clock difference, in both directions. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

/** Why a webhook was refused. */
export type WebhookRejection =
  | "missing_headers"
  | "invalid_timestamp"
  | "stale_timestamp"
  | "future_timestamp"
  | "no_secret"
  | "bad_signature"
  | "malformed_body";

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Request headers, as a `Headers` object or a record with keys in any case. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body exactly as received; re-serialised JSON would not match the signature. */
  rawBody: string | Uint8Array;
  /** `whsec_…` secrets; several during rotation, each is tried. */
  secrets: readonly string[];
  /** The current time in ms since the epoch; injectable so tests and replays control the clock. */
  now?: number;
}

/** A webhook whose signature and timestamp are good, or why it was refused. */
export type VerifyWebhookSignatureResult =
  | { ok: true; webhookId: string; timestampSecs: number }
  | { ok: false; reason: WebhookRejection };

/** A verified webhook and the prediction it carries, or why it was refused. */
export type VerifyWebhookResult =
  | { ok: true; webhookId: string; timestampSecs: number; event: Prediction }
  | { ok: false; reason: WebhookRejection };

/** Verifies a Replicate webhook and parses the prediction it carries. */
export function verifyWebhook(options: VerifyWebhookOptions): VerifyWebhookResult {
  const verified = verifyWebhookSignature(options);
  if (!verified.ok) return verified;
  const { rawBody } = options;
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed_body" };
  }
  const event = Prediction.safeParse(json);
  if (!event.success) return { ok: false, reason: "malformed_body" };
  return { ...verified, event: event.data };
}

/**
 * Checks a Replicate webhook's headers (Standard Webhooks: base64 of HMAC-SHA256, keyed with the
 * base64 after `whsec_`, over `id.timestamp.body`). The `standardwebhooks` package's `verify()` reads
 * `Date.now()` for the tolerance check and hashes in JavaScript, so this checks the timestamp
 * against `now` and signs with node:crypto (a property test keeps its signatures equal to the
 * package's), comparing in constant time over every `v1,` signature in the header and every secret.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): VerifyWebhookSignatureResult {
  const id = headerOf(options.headers, "webhook-id");
  const timestampText = headerOf(options.headers, "webhook-timestamp");
  const signatureHeader = headerOf(options.headers, "webhook-signature");
  if (!id || !timestampText || !signatureHeader) return { ok: false, reason: "missing_headers" };
  // Only the canonical decimal: "01700000000" names the same second as the "1700000000" that was signed.
  if (!/^(0|[1-9]\d{0,14})$/.test(timestampText.trim())) return { ok: false, reason: "invalid_timestamp" };
  const timestampSecs = Number(timestampText.trim());
  const nowMs = options.now ?? Date.now();
  const skewMs = nowMs - timestampSecs * 1000;
  if (skewMs > WEBHOOK_TOLERANCE_MS) return { ok: false, reason: "stale_timestamp" };
  if (-skewMs > WEBHOOK_TOLERANCE_MS) return { ok: false, reason: "future_timestamp" };

  const secrets = options.secrets.filter((secret) => secret.trim() !== "");
  if (secrets.length === 0) return { ok: false, reason: "no_secret" };
  const body = bodyText(options.rawBody);
  if (body === undefined) return { ok: false, reason: "malformed_body" };
  const given = signatureHeader
    .split(" ")
    .map((item) => item.split(","))
    .filter(([version, signature]) => version === "v1" && signature)
    .map(([, signature]) => Buffer.from(signature ?? "", "utf8"));

  const timestamp = new Date(timestampSecs * 1000);
  const matched = secrets.some((secret) => {
    const expected = Buffer.from(signatureOf(secret, id, timestamp, body), "utf8");
    // Every candidate is compared (no early exit on the first mismatch), each in constant time.
    return given.reduce(
      (found, candidate) =>
        (candidate.length === expected.length && timingSafeEqual(candidate, expected)) || found,
      false,
    );
  });
  return matched ? { ok: true, webhookId: id, timestampSecs } : { ok: false, reason: "bad_signature" };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The body as text that encodes back to exactly the bytes received, or undefined. The signer hashes
 * the UTF-8 of a string, so bytes that are not UTF-8 (or a string with a lone surrogate) would be
 * hashed as U+FFFD: different bodies would then share one signature.
 */
function bodyText(rawBody: string | Uint8Array): string | undefined {
  if (typeof rawBody === "string") return rawBody.isWellFormed() ? rawBody : undefined;
  try {
    return strictUtf8.decode(rawBody);
  } catch {
    return undefined;
  }
}

/** A `whsec_` secret's key bytes, decoded once; null for a secret that is not strict base64 (never matches). */
const keys = new Map<string, Buffer | null>();
const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function keyOf(secret: string): Buffer | null {
  let key = keys.get(secret);
  if (key === undefined) {
    const encoded = secret.trim().replace(/^whsec_/, "");
    key = encoded !== "" && strictBase64.test(encoded) ? Buffer.from(encoded, "base64") : null;
    if (keys.size > 100) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The base64 part of `v1,<signature>` for one secret; a secret that is not valid base64 never matches. */
function signatureOf(secret: string, id: string, timestamp: Date, body: string): string {
  const key = keyOf(secret);
  if (!key || key.length === 0) return "";
  return createHmac("sha256", key)
    .update(`${id}.${Math.floor(timestamp.getTime() / 1000)}.${body}`)
    .digest("base64");
}

function headerOf(headers: VerifyWebhookOptions["headers"], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value.join(" ") : value;
  }
  return undefined;
}
