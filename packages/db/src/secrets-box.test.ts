import { type AppError, isAppError } from "@replibot/core";
import { describe, expect, it } from "vitest";
import { createSecretsBox } from "./secrets-box.ts";

const KEY = `${"k".repeat(24)}-secrets-key-one`;
const OTHER_KEY = `${"o".repeat(24)}-secrets-key-two`;
const TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";

function openError(open: () => unknown): AppError {
  try {
    open();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected open to throw");
}

/** Flips one bit of the base64url part at `index` (1 iv, 2 ciphertext, 3 tag). */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("createSecretsBox", () => {
  it("opens what it sealed, including empty and non-ASCII text", () => {
    const box = createSecretsBox(KEY);
    for (const plain of [TOKEN, "", "ünïcødé ✓ 🔑", JSON.stringify({ bot: { token: TOKEN } })]) {
      expect(box.open(box.seal(plain))).toBe(plain);
    }
    // Another box from the same SECRETS_KEY (a restart) opens it too.
    expect(createSecretsBox(KEY).open(box.seal(TOKEN))).toBe(TOKEN);
  });

  it("seals as v1.<iv>.<ciphertext>.<tag> with a fresh 12-byte IV each time and never the plaintext", () => {
    const box = createSecretsBox(KEY);
    const first = box.seal(TOKEN);
    const second = box.seal(TOKEN);
    expect(first).not.toBe(second);
    for (const sealed of [first, second]) {
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(sealed).not.toContain(TOKEN);
      const [, iv, , tag] = sealed.split(".");
      expect(Buffer.from(iv!, "base64url")).toHaveLength(12);
      expect(Buffer.from(tag!, "base64url")).toHaveLength(16);
    }
    expect(first.split(".")[1]).not.toBe(second.split(".")[1]);
  });

  it("refuses tampered iv, ciphertext, tag or format with config_invalid", () => {
    const box = createSecretsBox(KEY);
    const sealed = box.seal(TOKEN);
    const [version, iv, ciphertext, tag] = sealed.split(".");
    const tampered = [
      flipBit(sealed, 1),
      flipBit(sealed, 2),
      flipBit(sealed, 3),
      [version, iv, ciphertext, tag!.slice(0, 10)].join("."),
      [version, iv, `${ciphertext}AA`, tag].join("."),
      ["v2", iv, ciphertext, tag].join("."),
      [version, iv, ciphertext].join("."),
      [version, iv, `${ciphertext}!`, tag].join("."),
      TOKEN,
      "",
    ];
    for (const value of tampered) {
      const error = openError(() => box.open(value));
      expect(error.code).toBe("config_invalid");
      expect(error.message).toMatch(/cannot be decrypted with this SECRETS_KEY/);
    }
  });

  it("refuses a value sealed with another SECRETS_KEY, naming neither key nor plaintext", () => {
    const sealed = createSecretsBox(OTHER_KEY).seal(TOKEN);
    const error = openError(() => createSecretsBox(KEY).open(sealed));
    expect(error.code).toBe("config_invalid");
    expect(error.message).toMatch(/cannot be decrypted with this SECRETS_KEY/);
    for (const secret of [KEY, OTHER_KEY, TOKEN]) {
      expect(error.message).not.toContain(secret);
      expect(String(error.stack)).not.toContain(secret);
    }
  });

  it("refuses a SECRETS_KEY shorter than 32 characters", () => {
    const error = openError(() => createSecretsBox("short"));
    expect(error.code).toBe("config_invalid");
    expect(error.message).not.toContain("short");
  });
});
