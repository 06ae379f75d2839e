import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "./index.ts";

let emulator: Emulator;
let replicate: Replicate;

beforeAll(async () => {
  emulator = await createEmulator({ tokens: ["r8_good"], tokensPerSecond: 0 });
  replicate = new Replicate({ auth: "r8_good", baseUrl: emulator.baseUrl, useFileOutput: false });
});
afterAll(() => emulator.close());

const problemOf = async (promise: Promise<unknown>) => {
  const error = (await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  )) as { response: Response; message: string };
  return {
    status: error.response.status,
    type: error.response.headers.get("content-type"),
    message: error.message,
  };
};

describe("API errors", () => {
  it("401 problem+json without a valid token; both Bearer and Token schemes work", async () => {
    const wrong = new Replicate({ auth: "r8_wrong", baseUrl: emulator.baseUrl });
    const problem = await problemOf(wrong.models.get("meta", "meta-llama-3-8b-instruct"));
    expect(problem).toMatchObject({ status: 401, type: "application/problem+json" });
    expect(problem.message).toContain("You did not pass a valid authentication token");
    const none = await fetch(`${emulator.baseUrl}/predictions`);
    expect(none.status).toBe(401);
    const token = await fetch(`${emulator.baseUrl}/predictions`, {
      headers: { Authorization: "Token r8_good" },
    });
    expect(token.status).toBe(200);
  });

  it("404 for an unknown model, version, prediction, or a community model run without a version", async () => {
    expect(await problemOf(replicate.models.get("nobody", "nothing"))).toMatchObject({ status: 404 });
    expect(await problemOf(replicate.run("nobody/nothing", { input: {} }))).toMatchObject({ status: 404 });
    expect(
      await problemOf(replicate.run(`stability-ai/sdxl:${"0".repeat(64)}`, { input: {} })),
    ).toMatchObject({
      status: 404,
    });
    expect(await problemOf(replicate.run("openai/whisper", { input: { audio: "data:," } }))).toMatchObject({
      status: 404,
    });
    expect(await problemOf(replicate.predictions.get("doesnotexist"))).toMatchObject({ status: 404 });
  });

  it("422 names the bad input field: missing, wrong type, out of range, not in the enum", async () => {
    const create = (input: Record<string, unknown>) =>
      problemOf(replicate.predictions.create({ model: "black-forest-labs/flux-schnell", input }));
    const missing = await create({ aspect_ratio: "1:1" });
    expect(missing).toMatchObject({ status: 422, type: "application/problem+json" });
    expect(missing.message).toContain("prompt is required");
    expect((await create({ prompt: "x", num_outputs: 5 })).message).toContain(
      "input.num_outputs: Must be less than or equal to 4",
    );
    expect((await create({ prompt: "x", seed: "seven" })).message).toContain("input.seed: Invalid type");
    expect((await create({ prompt: "x", aspect_ratio: "7:3" })).message).toContain("input.aspect_ratio");
    expect(emulator.control.predictions()).toHaveLength(0);
  });

  it("429 with Retry-After past the create limit; the client's six back-to-back tries all count", async () => {
    // Its own emulator: every create, even a refused one, spends from the same bucket.
    const limited = await createEmulator({ createLimitPerMinute: 3, tokensPerSecond: 0 });
    const client = new Replicate({ auth: "r8_good", baseUrl: limited.baseUrl });
    try {
      const create = () =>
        client.predictions.create({
          model: "meta/meta-llama-3-8b-instruct",
          input: { prompt: "x", max_tokens: 1 },
        });
      for (let i = 0; i < 3; i++) await create();
      const before = limited.control.requests().length;
      const problem = await problemOf(create());
      expect(problem.status).toBe(429);
      expect(problem.message).toContain("Request was throttled");
      const attempts = limited.control.requests().slice(before);
      expect(attempts).toHaveLength(6);
      expect(attempts.every((entry) => entry.status === 429)).toBe(true);

      const raw = await fetch(`${limited.baseUrl}/models/meta/meta-llama-3-8b-instruct/predictions`, {
        method: "POST",
        headers: { Authorization: "Bearer r8_good", "Content-Type": "application/json" },
        body: JSON.stringify({ input: { prompt: "x" } }),
      });
      expect(raw.status).toBe(429);
      const retryAfter = Number(raw.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(await raw.json()).toMatchObject({ status: 429, retry_after: retryAfter });

      // Other endpoints have their own bucket, and report what is left.
      const list = await fetch(`${limited.baseUrl}/predictions`, {
        headers: { Authorization: "Bearer r8_good" },
      });
      expect(list.status).toBe(200);
      expect(Number(list.headers.get("ratelimit-remaining"))).toBeGreaterThan(2_900);
      expect(list.headers.get("ratelimit-reset")).toBe("1");

      // A minute later on the emulator's clock the bucket is full again.
      limited.control.advanceClock(60_000);
      expect((await create()).status).toBe("starting");
    } finally {
      await limited.close();
    }
  });

  it("an injected 429 is retried by the client and then surfaces as ApiError 429", async () => {
    emulator.control.failRequests({ status: 429 });
    try {
      expect(await problemOf(replicate.models.get("meta", "meta-llama-3-8b-instruct"))).toMatchObject({
        status: 429,
      });
    } finally {
      emulator.control.clearRequestFaults();
    }
  });
});
