import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, scrubSecrets } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ name: "t", destination }) };
}

describe("logger", () => {
  it("never writes tokens: by key, by shape, and inside errors' URLs", () => {
    const { lines, logger } = capture();
    const token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OkxvbmdUb2tlbg";
    const error = Object.assign(new Error("Invalid Webhook Token"), {
      url: `http://127.0.0.1/api/v10/webhooks/1187654321098765432/${token}/messages/@original`,
      requestBody: { json: { content: "a member's words" } },
    });
    logger.warn(
      { err: error, token: "r8_abcdefghijklmnop", replicate: { apiToken: "x" } },
      "failed with r8_abcdefghijkl",
    );
    const line = lines.join("");
    expect(line).not.toContain(token);
    expect(line).not.toContain("r8_abcdefghijk");
    expect(line).not.toContain("a member's words");
    expect(line).toContain("/webhooks/1187654321098765432/[redacted]/messages/@original");
  });

  it("scrubs passwords in URLs and Slack tokens from free text", () => {
    expect(scrubSecrets("postgres://app:hunter2@db:5432/x")).toBe("postgres://app:***@db:5432/x");
    expect(scrubSecrets("token xoxb-1234567890-abcdef")).toBe("token [redacted]");
  });

  it("never writes a Slack response_url, by key or inside an error message", () => {
    const { lines, logger } = capture();
    const url = "https://hooks.slack.com/commands/T0TEST/1234567890/AbCdEfGhIjKlMnOp";
    logger.warn({ replyTarget: { responseUrl: url }, err: new Error(`POST ${url} failed: 404`) }, "no");
    const line = lines.join("");
    expect(line).not.toContain("AbCdEfGhIjKlMnOp");
    expect(line).toContain("/commands/[redacted]");
  });

  it("scrubs credentials from request bodies and Authorization headers that libraries log as text", () => {
    const body = '{"code":"1.ab","client_id":"b9.b6","client_secret":"85e83382c4cc2f40ecbe51f0a108533a"}';
    expect(scrubSecrets(`http request body: ${body}`)).toBe(
      'http request body: {"code":"1.ab","client_id":"b9.b6","client_secret":"[redacted]"}',
    );
    expect(scrubSecrets("token=abc123def456&channel=C1")).toBe("token=[redacted]&channel=C1");
    expect(scrubSecrets("authorization: Bearer 0123456789abcdef0123")).toBe(
      "authorization: Bearer [redacted]",
    );
    // Names that merely contain the word are not credentials.
    expect(scrubSecrets('{"max_tokens":512,"tokenExpiresAtMs":1}')).toBe(
      '{"max_tokens":512,"tokenExpiresAtMs":1}',
    );
  });
});

describe("errors of failed queries", () => {
  it("never log the query's parameters, at any depth, nor their tokens", () => {
    const { lines, logger } = capture();
    const token = `aW50ZXJhY3Rpb246${"x".repeat(120)}`;
    const cause = Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
    const failed = Object.assign(new Error("Failed query: insert into jobs ..."), {
      params: ["discord-1", JSON.stringify({ interactionToken: token, prompt: "my secret plan" })],
      cause: Object.assign(cause, { parameters: [token] }),
    });
    logger.error({ err: failed }, "could not write the job");
    const line = lines.join("");
    expect(line).toContain("could not write the job");
    expect(line).toContain("connection refused");
    expect(line).not.toContain(token);
    expect(line).not.toContain("my secret plan");
  });
});
