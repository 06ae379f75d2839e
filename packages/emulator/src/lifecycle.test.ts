import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "./index.ts";

let emulator: Emulator;
let replicate: Replicate;

// The official client cannot send Cancel-After, so a caller adds it through the `fetch` option.
const withCancelAfter = (value: string) =>
  new Replicate({
    auth: "r8_test",
    baseUrl: emulator.baseUrl,
    fetch: (url, init) =>
      fetch(url, { ...init, headers: { ...(init?.headers as object), "Cancel-After": value } }),
  });

beforeAll(async () => {
  // Slow tokens so predictions are still running when the tests act on them.
  emulator = await createEmulator({ tokensPerSecond: 20, pageSize: 2 });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl, useFileOutput: false });
});
afterAll(() => emulator.close());

const waitForStatus = async (id: string, status: string) => {
  for (let i = 0; i < 200; i++) {
    const prediction = await replicate.predictions.get(id);
    if (prediction.status === status) return prediction;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`prediction ${id} never reached ${status}`);
};

describe("prediction lifecycle", () => {
  it("cancel stops a running prediction, ends its stream with done, and is idempotent", async () => {
    const created = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "a long answer please" },
    });
    expect(created.status).toBe("starting");
    await waitForStatus(created.id, "processing");
    const canceled = await replicate.predictions.cancel(created.id);
    expect(canceled.status).toBe("canceled");
    expect(canceled.completed_at).toBeDefined();
    expect(canceled.metrics?.predict_time).toBeGreaterThanOrEqual(0);
    const again = await replicate.predictions.cancel(created.id);
    expect(again).toEqual(canceled);
    const body = await (await fetch(created.urls.stream ?? "")).text();
    expect(body).toMatch(/^: hi\n\n/);
    expect(body).toMatch(/event: done\nid: \d+:\d+\ndata: \{"reason":"canceled"\}\n\n$/);
  });

  it("Cancel-After cancels a running prediction at its deadline", async () => {
    const created = await withCancelAfter("5s").predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "deadline while running" },
    });
    expect(Date.parse(created.deadline ?? "") - Date.parse(created.created_at)).toBe(5_000);
    await waitForStatus(created.id, "processing");
    emulator.control.advanceClock(5_000);
    const ended = await replicate.predictions.get(created.id);
    expect(ended.status).toBe("canceled");
    expect(ended.started_at).toBeDefined();
  });

  it("Cancel-After aborts a prediction still in a cold start", async () => {
    emulator.control.forceColdStart({ ms: 60_000 });
    const created = await withCancelAfter("30s").predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "deadline while booting" },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const booting = await replicate.predictions.get(created.id);
    expect(booting.status).toBe("starting");
    expect(booting.started_at).toBeUndefined();
    expect(booting.logs).toContain("cold boot");
    emulator.control.advanceClock(30_000);
    const ended = await replicate.predictions.get(created.id);
    expect(ended.status).toBe("aborted");
    expect(ended.started_at).toBeUndefined();
    expect(ended.output).toBeNull();
    expect(ended.metrics?.predict_time).toBe(0);
  });

  it("a cold start shows as starting; Prefer: wait=1 returns that state with Preference-Applied", async () => {
    emulator.control.forceColdStart({ ms: 60_000, model: "meta/meta-llama-3-70b-instruct" });
    const response = await fetch(`${emulator.baseUrl}/models/meta/meta-llama-3-70b-instruct/predictions`, {
      method: "POST",
      headers: { Authorization: "Token r8_test", "Content-Type": "application/json", Prefer: "wait=1" },
      body: JSON.stringify({ input: { prompt: "slow boot" } }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("preference-applied")).toBe("wait=1");
    const prediction = (await response.json()) as { id: string; status: string };
    expect(prediction.status).toBe("starting");
    emulator.control.advanceClock(60_000);
    await waitForStatus(prediction.id, "processing");
    await replicate.predictions.cancel(prediction.id);
  });

  it("a Cancel-After under 5 seconds is refused with 422", async () => {
    await expect(
      withCancelAfter("4s").predictions.create({
        model: "meta/meta-llama-3-8b-instruct",
        input: { prompt: "x" },
      }),
    ).rejects.toMatchObject({ response: { status: 422 } });
  });

  it("deployments create predictions of their model and name the deployment", async () => {
    const prediction = await replicate.deployments.predictions.create("replibot", "chat", {
      input: { prompt: "via deployment", max_tokens: 2 },
    });
    expect(prediction).toMatchObject({ model: "meta/meta-llama-3-8b-instruct", deployment: "replibot/chat" });
    await expect(
      replicate.deployments.predictions.create("nobody", "nothing", { input: { prompt: "x" } }),
    ).rejects.toMatchObject({ response: { status: 404 } });
  });

  it("lists predictions newest first across pages with absolute next URLs", async () => {
    const ids: string[] = [];
    for (const prompt of ["p1", "p2", "p3"]) {
      const created = await replicate.predictions.create({
        model: "meta/meta-llama-3-8b-instruct",
        input: { prompt, max_tokens: 1 },
      });
      ids.unshift(created.id);
    }
    const first = await replicate.predictions.list();
    expect(first.results.map((p) => p.id)).toEqual(ids.slice(0, 2));
    expect(first.next).toMatch(new RegExp(`^${emulator.baseUrl}/predictions\\?cursor=`));
    const seen: string[] = [];
    for await (const page of replicate.paginate(() => replicate.predictions.list())) {
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((p) => p.id));
    }
    expect(seen.slice(0, 3)).toEqual(ids);
    expect(new Set(seen).size).toBe(emulator.control.predictions().length);
  });

  it("serves models and versions with their input schemas", async () => {
    const model = await replicate.models.get("black-forest-labs", "flux-schnell");
    expect(model.is_official).toBe(true);
    const schema = model.latest_version?.openapi_schema as {
      components: { schemas: Record<string, unknown> };
    };
    expect(schema.components.schemas.Input).toMatchObject({ required: ["prompt"] });
    const versions = await replicate.models.versions.list("openai", "whisper");
    expect(versions.results.map((v) => v.id)).toEqual([
      "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e",
    ]);
    const version = await replicate.models.versions.get("openai", "whisper", versions.results[0]?.id ?? "");
    expect(version.openapi_schema).toBeTruthy();
  });

  it("injected 500s are retried by the client on GET; every attempt is counted", async () => {
    const created = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "flaky", max_tokens: 1 },
    });
    const before = emulator.control.requests().length;
    emulator.control.failRequests({ status: 500, count: 2 });
    const got = await replicate.predictions.get(created.id);
    expect(got.id).toBe(created.id);
    const attempts = emulator.control.requests().slice(before);
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 200]);

    emulator.control.failRequests({ status: 500 });
    await expect(replicate.predictions.cancel(created.id)).rejects.toMatchObject({
      response: { status: 500 },
    });
    emulator.control.clearRequestFaults();
    expect((await replicate.predictions.get(created.id)).id).toBe(created.id);
  });
});
