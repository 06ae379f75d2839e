import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhook, verifyWebhookSignature } from "./verify-webhook.ts";

// replicate-contract.md §5.2.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const example1 = {
  headers: {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  },
  rawBody: '{"test": 2432232314}',
  now: 1614265330 * 1000 + 10_000,
};
const example2 = {
  headers: {
    "webhook-id": "msg_2abcDEFghiJKLmnoPQRstuVWxyz",
    "webhook-timestamp": "1731600000",
    "webhook-signature": "v1,0SfN0bNg5MVP/o03UhubeBNKNnALhV6yvHXwbKCm50k=",
  },
  rawBody: '{"id":"gm3qorzdhgbfurvjtvhg6dckhu","status":"succeeded"}',
  now: 1731600000 * 1000 - 3_000,
};

/** Signs independently of the package under test: base64(HMAC-SHA256(key, id.ts.body)). */
function sign(whsec: string, id: string, timestampSecs: number, body: string): string {
  const key = Buffer.from(whsec.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSecs}.${body}`).digest("base64")}`;
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

describe("verifyWebhook", () => {
  it("accepts the contract's first vector (a non-prediction body: signature good, body refused)", () => {
    expect(verifyWebhookSignature({ ...example1, secrets: [secret] })).toEqual({
      ok: true,
      webhookId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestampSecs: 1614265330,
    });
    expect(verifyWebhook({ ...example1, secrets: [secret] })).toEqual({
      ok: false,
      reason: "malformed_body",
    });
  });

  it("accepts the contract's second vector and returns the parsed prediction", () => {
    const result = verifyWebhook({ ...example2, secrets: [secret] });
    expect(result).toMatchObject({
      ok: true,
      webhookId: "msg_2abcDEFghiJKLmnoPQRstuVWxyz",
      event: { id: "gm3qorzdhgbfurvjtvhg6dckhu", status: "succeeded" },
    });
  });

  it("takes the raw body as bytes too", () => {
    const rawBody = new TextEncoder().encode(example2.rawBody);
    expect(verifyWebhook({ ...example2, rawBody, secrets: [secret] }).ok).toBe(true);
  });

  it("reads headers in any case, from a record or a Headers object", () => {
    const shouting = Object.fromEntries(
      Object.entries(example2.headers).map(([k, v]) => [k.toUpperCase(), v]),
    );
    expect(verifyWebhook({ ...example2, headers: shouting, secrets: [secret] }).ok).toBe(true);
    expect(verifyWebhook({ ...example2, headers: new Headers(example2.headers), secrets: [secret] }).ok).toBe(
      true,
    );
  });

  it("refuses a signature that does not match", () => {
    const headers = {
      ...example2.headers,
      "webhook-signature": "v1,AAAAbNg5MVP/o03UhubeBNKNnALhV6yvHXwbKCm50k=",
    };
    expect(verifyWebhook({ ...example2, headers, secrets: [secret] })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses a body changed after signing", () => {
    const rawBody = example2.rawBody.replace("succeeded", "failed");
    expect(verifyWebhook({ ...example2, rawBody, secrets: [secret] })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses the wrong secret", () => {
    expect(verifyWebhook({ ...example2, secrets: [newSecret()] })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses a timestamp more than five minutes old or ahead, measured against now", () => {
    const ts = 1731600000 * 1000;
    const at = (now: number) => verifyWebhook({ ...example2, now, secrets: [secret] });
    expect(at(ts + 300_000).ok).toBe(true);
    expect(at(ts + 301_000)).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(at(ts - 300_000).ok).toBe(true);
    expect(at(ts - 301_000)).toEqual({ ok: false, reason: "future_timestamp" });
  });

  it("refuses a request with a header missing", () => {
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"] as const) {
      const headers: Record<string, string> = { ...example2.headers };
      delete headers[name];
      expect(verifyWebhook({ ...example2, headers, secrets: [secret] })).toEqual({
        ok: false,
        reason: "missing_headers",
      });
    }
  });

  it("refuses a timestamp that is not a number", () => {
    const headers = { ...example2.headers, "webhook-timestamp": "1731600000abc" };
    expect(verifyWebhook({ ...example2, headers, secrets: [secret] })).toEqual({
      ok: false,
      reason: "invalid_timestamp",
    });
  });

  it("tries every secret during rotation", () => {
    const old = newSecret();
    const current = newSecret();
    const body = '{"id":"abc","status":"processing"}';
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": "" };
    const now = 1_700_000_000_000;
    for (const signer of [old, current]) {
      headers["webhook-signature"] = sign(signer, "msg_1", 1700000000, body);
      expect(verifyWebhook({ headers, rawBody: body, now, secrets: [old, current] }).ok).toBe(true);
      expect(verifyWebhook({ headers, rawBody: body, now, secrets: [current, old] }).ok).toBe(true);
    }
    headers["webhook-signature"] = sign(newSecret(), "msg_1", 1700000000, body);
    expect(verifyWebhook({ headers, rawBody: body, now, secrets: [old, current] }).ok).toBe(false);
  });

  it("accepts a header with several signatures when any one matches, and ignores other versions", () => {
    const body = '{"id":"abc","status":"succeeded"}';
    const good = sign(secret, "msg_2", 1700000000, body);
    const signatures = `v1,Zm9vYmFyYmF6 v2,${good.slice(3)} ${good} v1,bm9wZQ==`;
    const headers = {
      "webhook-id": "msg_2",
      "webhook-timestamp": "1700000000",
      "webhook-signature": signatures,
    };
    expect(verifyWebhook({ headers, rawBody: body, now: 1_700_000_000_000, secrets: [secret] }).ok).toBe(
      true,
    );
    const onlyOtherVersions = { ...headers, "webhook-signature": `v2,${good.slice(3)}` };
    expect(
      verifyWebhook({ headers: onlyOtherVersions, rawBody: body, now: 1_700_000_000_000, secrets: [secret] }),
    ).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a verified body that is not a prediction, and refuses without any secret", () => {
    const body = '{"id":"abc","status":"exploded"}';
    const headers = {
      "webhook-id": "msg_3",
      "webhook-timestamp": "1700000000",
      "webhook-signature": sign(secret, "msg_3", 1700000000, body),
    };
    const now = 1_700_000_000_000;
    expect(verifyWebhook({ headers, rawBody: body, now, secrets: [secret] })).toEqual({
      ok: false,
      reason: "malformed_body",
    });
    expect(verifyWebhook({ headers, rawBody: body, now, secrets: [] })).toEqual({
      ok: false,
      reason: "no_secret",
    });
  });
});
