import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook, webhookHeaders } from "./webhook-signer.ts";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe("signWebhook", () => {
  it("matches the contract's worked example 1 (the client test vector)", () => {
    expect(signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, '{"test": 2432232314}')).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("matches the contract's worked example 2 (a prediction-shaped body)", () => {
    const body = '{"id":"gm3qorzdhgbfurvjtvhg6dckhu","status":"succeeded"}';
    expect(signWebhook(secret, "msg_2abcDEFghiJKLmnoPQRstuVWxyz", 1_731_600_000, body)).toBe(
      "v1,0SfN0bNg5MVP/o03UhubeBNKNnALhV6yvHXwbKCm50k=",
    );
  });

  it("produces headers the standardwebhooks package verifies, and rejects a changed body", () => {
    const body = '{"id":"x","status":"starting"}';
    const headers = webhookHeaders(secret, "msg_abc", Math.floor(Date.now() / 1000), body);
    const webhook = new Webhook(secret);
    expect(webhook.verify(body, { ...headers })).toEqual({ id: "x", status: "starting" });
    expect(() => webhook.verify(body.replace("starting", "succeeded"), { ...headers })).toThrow();
  });
});
