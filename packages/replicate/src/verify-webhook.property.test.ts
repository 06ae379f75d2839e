import { createHmac } from "node:crypto";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  verifyWebhook,
  verifyWebhookSignature,
  WEBHOOK_TOLERANCE_MS,
  type WebhookRejection,
} from "./verify-webhook.ts";

/** Signs independently of the code under test: base64(HMAC-SHA256(key, "id.timestamp." + body bytes)). */
function sign(whsec: string, id: string, timestampSecs: number, body: Uint8Array): string {
  const key = Buffer.from(whsec.replace(/^whsec_/, ""), "base64");
  const signed = Buffer.concat([Buffer.from(`${id}.${timestampSecs}.`, "utf8"), body]);
  return `v1,${createHmac("sha256", key).update(signed).digest("base64")}`;
}

const secret = fc
  .uint8Array({ minLength: 24, maxLength: 32 })
  .map((bytes) => `whsec_${Buffer.from(bytes).toString("base64")}`);
const webhookId = fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" });
/** Any UTF-8 text as bytes (Replicate sends JSON): emoji, CJK, control characters, a BOM, nothing. */
const body = fc
  .string({
    maxLength: 200,
    unit: fc.oneof(fc.constant("\uFEFF"), fc.string({ unit: "grapheme", maxLength: 1 })),
  })
  .map((text) => new TextEncoder().encode(text));
/** Seconds between 2001 and 2033, as Replicate's clock would write them. */
const timestampSecs = fc.integer({ min: 1_000_000_000, max: 2_000_000_000 });
const skewMs = fc.integer({ min: -WEBHOOK_TOLERANCE_MS, max: WEBHOOK_TOLERANCE_MS });

/** A webhook signed with one of several secrets, received within the tolerance. */
const signedWebhook = fc
  .record({
    secrets: fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }),
    signerIndex: fc.nat(),
    id: webhookId,
    timestampSecs,
    skewMs,
    body,
  })
  .map((w) => {
    const signer = w.secrets[w.signerIndex % w.secrets.length]!;
    return {
      ...w,
      now: w.timestampSecs * 1000 + w.skewMs,
      headers: {
        "webhook-id": w.id,
        "webhook-timestamp": String(w.timestampSecs),
        "webhook-signature": sign(signer, w.id, w.timestampSecs, w.body),
      },
    };
  });

const base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const rejections: readonly WebhookRejection[] = [
  "missing_headers",
  "invalid_timestamp",
  "stale_timestamp",
  "future_timestamp",
  "no_secret",
  "bad_signature",
  "malformed_body",
];

type Signed = { headers: Record<string, string>; body: Uint8Array; now: number };
type Mutation = (webhook: Signed) => Signed | undefined;

/** Ways a stranger could change a signed delivery; undefined when the change would change nothing. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(
    ([at, flip]): Mutation =>
      (w) => {
        if (w.body.length === 0) return undefined;
        const changed = Uint8Array.from(w.body);
        changed[at % changed.length]! ^= flip;
        return { ...w, body: changed };
      },
  ),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map(
    (extra): Mutation =>
      (w) => ({
        ...w,
        body: Uint8Array.from([...w.body, ...extra]),
      }),
  ),
  fc.nat().map(
    (cut): Mutation =>
      (w) => {
        if (w.body.length === 0) return undefined;
        return { ...w, body: w.body.slice(0, cut % w.body.length) };
      },
  ),
  webhookId.map(
    (id): Mutation =>
      (w) =>
        id === w.headers["webhook-id"] ? undefined : { ...w, headers: { ...w.headers, "webhook-id": id } },
  ),
  fc.integer({ min: -299, max: 299 }).map(
    (delta): Mutation =>
      (w) => {
        if (delta === 0) return undefined;
        const moved = String(Number(w.headers["webhook-timestamp"]) + delta);
        return { ...w, headers: { ...w.headers, "webhook-timestamp": moved } };
      },
  ),
  // The same instant written differently is still not what was signed.
  fc.constantFrom("0", "00", "+").map(
    (prefix): Mutation =>
      (w) => ({
        ...w,
        headers: { ...w.headers, "webhook-timestamp": `${prefix}${w.headers["webhook-timestamp"]}` },
      }),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([at, pick]): Mutation =>
      (w) => {
        const signature = w.headers["webhook-signature"]!;
        const index = 3 + (at % (signature.length - 4));
        const replacement = base64Chars[pick % base64Chars.length]!;
        if (signature[index] === replacement) return undefined;
        const changed = signature.slice(0, index) + replacement + signature.slice(index + 1);
        return { ...w, headers: { ...w.headers, "webhook-signature": changed } };
      },
  ),
  fc.constantFrom("v2", "V1", "v1 ", "").map(
    (version): Mutation =>
      (w) => ({
        ...w,
        headers: {
          ...w.headers,
          "webhook-signature": `${version},${w.headers["webhook-signature"]!.slice(3)}`,
        },
      }),
  ),
);

describe("verifyWebhookSignature, for any webhook", () => {
  it("verifies a delivery signed with any of the secrets in rotation, in any order", () => {
    fc.assert(
      fc.property(signedWebhook, fc.boolean(), (w, reversed) => {
        const secrets = reversed ? [...w.secrets].reverse() : w.secrets;
        expect(verifyWebhookSignature({ headers: w.headers, rawBody: w.body, now: w.now, secrets })).toEqual({
          ok: true,
          webhookId: w.id,
          timestampSecs: w.timestampSecs,
        });
      }),
    );
  });

  it("refuses every change to the body or the headers after signing", () => {
    fc.assert(
      fc.property(signedWebhook, mutation, (w, mutate) => {
        const changed = mutate(w);
        fc.pre(changed !== undefined);
        const result = verifyWebhookSignature({ ...changed!, rawBody: changed!.body, secrets: w.secrets });
        expect(result.ok).toBe(false);
      }),
    );
  });

  it("refuses a body that is not UTF-8 even when its bytes were signed: such bytes hash as U+FFFD", () => {
    const notUtf8 = fc
      .tuple(
        fc.uint8Array({ max: 0x7f, maxLength: 40 }),
        fc.constantFrom([0x80], [0xc3], [0xed, 0xa0, 0x80], [0xff]),
      )
      .map(([start, bad]) => Uint8Array.from([...start, ...bad]));
    fc.assert(
      fc.property(signedWebhook, notUtf8, (w, rawBody) => {
        const headers = {
          ...w.headers,
          "webhook-signature": sign(w.secrets[0]!, w.id, w.timestampSecs, rawBody),
        };
        const result = verifyWebhookSignature({ headers, rawBody, now: w.now, secrets: w.secrets });
        expect(result).toEqual({ ok: false, reason: "malformed_body" });
      }),
    );
  });

  it("refuses a signature made with a secret not in force", () => {
    fc.assert(
      fc.property(signedWebhook, secret, (w, other) => {
        fc.pre(!w.secrets.includes(other));
        const result = verifyWebhookSignature({
          headers: w.headers,
          rawBody: w.body,
          now: w.now,
          secrets: [other],
        });
        expect(result).toEqual({ ok: false, reason: "bad_signature" });
      }),
    );
  });

  it("refuses a well-signed delivery more than five minutes away from now, either way", () => {
    const beyond = fc.integer({ min: WEBHOOK_TOLERANCE_MS + 1, max: 10 * 365 * 86_400_000 });
    fc.assert(
      fc.property(signedWebhook, beyond, fc.boolean(), (w, distanceMs, late) => {
        const now = w.timestampSecs * 1000 + (late ? distanceMs : -distanceMs);
        const result = verifyWebhookSignature({
          headers: w.headers,
          rawBody: w.body,
          now,
          secrets: w.secrets,
        });
        expect(result).toEqual({ ok: false, reason: late ? "stale_timestamp" : "future_timestamp" });
      }),
    );
  });

  it("answers garbage headers, bodies and secrets with a refusal, never an exception", () => {
    const text = fc.string({ maxLength: 60, unit: "binary" });
    const value = fc.option(fc.oneof(text, fc.array(text, { maxLength: 3 })), { nil: undefined });
    const webhookHeaders = fc.record(
      {
        "webhook-id": value,
        "webhook-timestamp": fc.option(fc.oneof(text, fc.bigInt().map(String)), { nil: undefined }),
        "Webhook-Signature": fc.option(
          fc.oneof(
            text,
            text.map((t) => `v1,${t}`),
            fc.array(text).map((ts) => ts.join(" ")),
          ),
          { nil: undefined },
        ),
      },
      { requiredKeys: [] },
    );
    const headers = fc
      .tuple(webhookHeaders, fc.dictionary(text, value, { maxKeys: 4 }))
      .map(([known, other]) => ({ ...other, ...known }));
    fc.assert(
      fc.property(
        headers,
        fc.oneof(text, fc.uint8Array({ maxLength: 100 })),
        fc.array(fc.oneof(text, secret), { maxLength: 3 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        (garbage, rawBody, secrets, now) => {
          const result = verifyWebhook({ headers: garbage, rawBody, secrets, now });
          expect(result.ok).toBe(false);
          expect(rejections).toContain(result.ok ? "" : result.reason);
        },
      ),
    );
  });

  it("refuses a well-signed body that is not a prediction, whatever it holds", () => {
    const notPrediction = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 80 }),
      fc.jsonValue().map((value) => JSON.stringify(value) ?? "null"),
      fc.record({ id: fc.string(), status: fc.string() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(secret, timestampSecs, notPrediction, (key, ts, text) => {
        const parsed = (() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return undefined;
          }
        })();
        const looksValid =
          typeof parsed === "object" &&
          parsed !== null &&
          typeof (parsed as { id?: unknown }).id === "string" &&
          (parsed as { id: string }).id !== "" &&
          ["starting", "processing", "succeeded", "failed", "canceled", "aborted"].includes(
            String((parsed as { status?: unknown }).status),
          );
        fc.pre(!looksValid);
        const rawBody = new TextEncoder().encode(text);
        const headers = {
          "webhook-id": "msg_1",
          "webhook-timestamp": String(ts),
          "webhook-signature": sign(key, "msg_1", ts, rawBody),
        };
        expect(verifyWebhook({ headers, rawBody, now: ts * 1000, secrets: [key] })).toEqual({
          ok: false,
          reason: "malformed_body",
        });
      }),
    );
  });
});

describe("verifyWebhookSignature against the standardwebhooks package", () => {
  it("accepts exactly the signatures the package makes, for any key, id, time and body", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        webhookId,
        timestampSecs,
        fc.string({ maxLength: 200, unit: "grapheme" }),
        (keyBytes, id, ts, text) => {
          const whsec = `whsec_${Buffer.from(keyBytes).toString("base64")}`;
          const header = new Webhook(whsec).sign(id, new Date(ts * 1000), text);
          const headers = { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": header };
          const result = verifyWebhookSignature({ headers, rawBody: text, secrets: [whsec], now: ts * 1000 });
          expect(result).toEqual({ ok: true, webhookId: id, timestampSecs: ts });
        },
      ),
    );
  });

  it("never matches with a secret the package refuses (not base64)", () => {
    for (const whsec of ["whsec_abc", "whsec_not*base64!", "whsec_", "whsec_YWJj=x"]) {
      expect(() => new Webhook(whsec)).toThrow();
      const lenient = `v1,${createHmac("sha256", Buffer.from(whsec.slice(6), "base64"))
        .update("m.1700000000.{}")
        .digest("base64")}`;
      const headers = { "webhook-id": "m", "webhook-timestamp": "1700000000", "webhook-signature": lenient };
      expect(
        verifyWebhookSignature({ headers, rawBody: "{}", secrets: [whsec], now: 1_700_000_000_000 }),
      ).toEqual({ ok: false, reason: "bad_signature" });
    }
  });
});
