import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { AppError } from "@replibot/core";

/** Seals secrets (Slack tokens) for storage and opens them again, with a key derived from SECRETS_KEY. */
export interface SecretsBox {
  /** `v1.<iv>.<ciphertext>.<tag>`, each base64url; a fresh random IV every time. */
  seal(plain: string): string;
  /** The plaintext; throws `config_invalid` when the value was sealed with another key or altered. */
  open(sealed: string): string;
}

const VERSION = "v1";
const HKDF_INFO = "replibot slack tokens v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The same floor the Slack app's env check puts on SECRETS_KEY. */
const MIN_SECRETS_KEY_LENGTH = 32;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function cannotOpen(cause?: unknown): AppError {
  return new AppError(
    "config_invalid",
    "a stored Slack token cannot be decrypted with this SECRETS_KEY: it was sealed with a different key, " +
      "or the stored value is damaged; restore the SECRETS_KEY it was sealed with, or reinstall the app",
    cause === undefined ? undefined : { cause },
  );
}

/**
 * AES-256-GCM with a key derived from `secretsKey` by HKDF-SHA256 (fixed info string, empty salt).
 * The key and plaintexts never appear in errors.
 */
export function createSecretsBox(secretsKey: string): SecretsBox {
  if (secretsKey.length < MIN_SECRETS_KEY_LENGTH) {
    throw new AppError("config_invalid", `SECRETS_KEY must be at least ${MIN_SECRETS_KEY_LENGTH} characters`);
  }
  const key = Buffer.from(hkdfSync("sha256", secretsKey, Buffer.alloc(0), HKDF_INFO, KEY_BYTES));

  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, ciphertext, tag]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },

    open(sealed) {
      const parts = sealed.split(".");
      if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((part) => BASE64URL.test(part))) {
        throw cannotOpen();
      }
      const [iv, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, "base64url"));
      if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ciphertext) throw cannotOpen();
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
      } catch (error) {
        // OpenSSL's "unable to authenticate data" carries neither key nor plaintext.
        throw cannotOpen(error);
      }
    },
  };
}
