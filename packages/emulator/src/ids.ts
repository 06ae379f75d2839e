import { randomBytes, randomUUID } from "node:crypto";

const base32 = "abcdefghijklmnopqrstuvwxyz234567";
const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** A prediction id like Replicate's: 26 characters of `[a-z0-9]`. */
export function newPredictionId(): string {
  return randomString(lowerAlnum, 26);
}

/** A stream token like Replicate's `/v1/streams/<52 base32>`. */
export function newStreamToken(): string {
  return randomString(base32, 52);
}

/** A Files API id: URL-safe base64 of a random UUID, shaped like the real ones. */
export function newFileId(): string {
  return Buffer.from(randomUUID()).toString("base64url");
}

/** A Svix-style webhook message id, stable across retries of one message. */
export function newWebhookMessageId(): string {
  return `msg_${randomBytes(18).toString("base64url").replace(/[-_]/g, "x")}`;
}

/** A random path segment for an output file URL. */
export function newDeliveryToken(): string {
  return randomBytes(21).toString("base64url").replace(/[-_]/g, "x");
}

/** A fresh `whsec_` secret: base64 (with padding) of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}
