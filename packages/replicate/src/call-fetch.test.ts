import { describe, expect, it } from "vitest";
import { failure, harness, json, prediction } from "./test-support/scripted-server.ts";

describe("retries", () => {
  it("waits out Retry-After (header or body) on a 429 and then succeeds", async () => {
    const { seen, sleeps, make } = harness([
      json({ detail: "Request was throttled." }, 429, { "retry-after": "2" }),
      json({ detail: "throttled", status: 429, retry_after: 3 }, 429),
      json(prediction("p1"), 201),
    ]);
    const created = await make().createPrediction({ target: { model: "o/n" }, input: {} });
    expect(created.id).toBe("p1");
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([2_000, 3_000]);
  });

  it("backs off exponentially without Retry-After, capped", async () => {
    const { sleeps, make } = harness([json({ detail: "slow down" }, 429)]);
    const client = make({ maxRetries: 5, retryBaseDelayMs: 100, maxRetryDelayMs: 1_000 });
    await failure(client.getPrediction("p1"));
    expect(sleeps).toEqual([100, 200, 400, 800, 1_000]);
  });

  it("gives up after its own attempts and the official client's retry loop sends nothing more", async () => {
    const { seen, sleeps, make } = harness([json({ detail: "throttled" }, 429, { "retry-after": "1" })]);
    const error = await failure(
      make({ maxRetries: 2 }).createPrediction({ target: { model: "o/n" }, input: {} }),
    );
    expect(error.code).toBe("rate_limited");
    expect(error.cause).toEqual({ status: 429, retryAfterMs: 1_000 });
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([1_000, 1_000]);
  });

  it("gives up at once when Retry-After is longer than it may wait", async () => {
    const { seen, sleeps, make } = harness([json({ detail: "throttled" }, 429, { "retry-after": "120" })]);
    const error = await failure(make().getPrediction("p1"));
    expect(error.code).toBe("rate_limited");
    expect(error.message).toMatch(/retry after 120000 ms/);
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("retries a GET on 5xx and network errors, but never a create", async () => {
    const get = harness([
      new TypeError("socket hang up"),
      json({ detail: "oops" }, 503),
      json(prediction("p1")),
    ]);
    expect((await get.make().getPrediction("p1")).id).toBe("p1");
    expect(get.seen).toHaveLength(3);

    const post5xx = harness([json({ detail: "oops" }, 500)]);
    const error = await failure(post5xx.make().createPrediction({ target: { model: "o/n" }, input: {} }));
    expect(error.code).toBe("upstream_error");
    expect(post5xx.seen).toHaveLength(1);

    const postNetwork = harness([new TypeError("fetch failed")]);
    const lost = await failure(postNetwork.make().createPrediction({ target: { model: "o/n" }, input: {} }));
    expect(lost.code).toBe("upstream_error");
    expect(lost.message).toMatch(/network error: fetch failed/);
    expect(postNetwork.seen).toHaveLength(1);
  });

  it("stops for good when its signal aborts during a pause, without another request", async () => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    const { seen, make } = harness([json({ detail: "throttled" }, 429, { "retry-after": "1" })]);
    const client = make({
      sleep: async () => {
        controller.abort(reason);
        throw new DOMException("aborted", "AbortError");
      },
    });
    await expect(client.getPrediction("p1", { signal: controller.signal })).rejects.toBe(reason);
    expect(seen).toHaveLength(1);
  });
});
