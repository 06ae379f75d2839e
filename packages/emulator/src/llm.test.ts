import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "./index.ts";

let emulator: Emulator;
let replicate: Replicate;

beforeAll(async () => {
  emulator = await createEmulator({ tokensPerSecond: 5_000 });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl, useFileOutput: false });
});
afterAll(() => emulator.close());

describe("Llama 3 models through the official client", () => {
  it("run() returns the deterministic token array, mentioning the prompt", async () => {
    const input = { prompt: "Why do llamas hum?" };
    const first = (await replicate.run("meta/meta-llama-3-8b-instruct", { input })) as string[];
    const second = (await replicate.run("meta/meta-llama-3-8b-instruct", { input })) as string[];
    expect(first).toEqual(second);
    expect(first.join("")).toContain("Why do llamas hum?");
    expect(first.at(-1)).toBe("");
    expect(first.some((token) => token.startsWith(" "))).toBe(true);
    expect(first.some((token) => token.includes("\n"))).toBe(true);
  });

  it("run() with the default useFileOutput still returns plain strings", async () => {
    const client = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl });
    const output = (await client.run("meta/meta-llama-3-70b-instruct", {
      input: { prompt: "hello" },
    })) as unknown[];
    expect(output.every((token) => typeof token === "string")).toBe(true);
  });

  it("stream() yields tokens whose concatenation is exactly the final output", async () => {
    let text = "";
    const events: string[] = [];
    for await (const event of replicate.stream("meta/meta-llama-3-70b-instruct", {
      input: { prompt: "Write about\nnewlines and  spaces" },
    })) {
      events.push(event.event);
      if (event.event === "output") text += event.data;
    }
    expect(events.at(-1)).toBe("done");
    const latest = emulator.control.predictions().at(-1)?.prediction;
    expect(latest?.status).toBe("succeeded");
    expect(text).toBe(((latest?.output ?? []) as string[]).join(""));
    expect(text).toMatch(/^\S.*\n\n/s);
    expect(text).toContain("newlines and spaces");
  });

  it("never emits more than max_tokens and pads up to min_tokens", async () => {
    const short = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "Tell me everything", max_tokens: 7 },
      wait: true,
    });
    expect(short.output).toHaveLength(7);
    expect((short.metrics as Record<string, number>).output_token_count).toBe(7);

    const long = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "Hi", min_tokens: 200, max_tokens: 1000 },
      wait: true,
    });
    expect((long.output as string[]).length).toBeGreaterThanOrEqual(200);
  });

  it("reports the token metrics and timestamps on success", async () => {
    const prediction = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: "Count: one, two three!", system_prompt: "Be brief." },
      wait: 10,
    });
    expect(prediction.status).toBe("succeeded");
    expect(prediction.version).toMatch(/^dp-[0-9a-f]{32}$/);
    const metrics = prediction.metrics as Record<string, number>;
    // "Be brief ." + "Count : one , two three !" = 3 + 7 pieces
    expect(metrics.input_token_count).toBe(10);
    expect(metrics.output_token_count).toBe((prediction.output as string[]).length);
    for (const key of ["time_to_first_token", "tokens_per_second", "predict_time", "total_time"]) {
      expect(metrics[key]).toBeGreaterThanOrEqual(0);
    }
    expect(Date.parse(prediction.completed_at ?? "")).toBeGreaterThanOrEqual(
      Date.parse(prediction.started_at ?? ""),
    );
    expect(prediction.urls.stream).toMatch(new RegExp(`^${emulator.baseUrl}/streams/[a-z2-7]{52}$`));
  });

  it("accepts a bare version id, owner/name:version and owner/name on POST /v1/predictions", async () => {
    const model = await replicate.models.get("meta", "meta-llama-3-8b-instruct");
    const versionId = model.latest_version?.id ?? "";
    for (const version of [
      versionId,
      `meta/meta-llama-3-8b-instruct:${versionId}`,
      "meta/meta-llama-3-8b-instruct",
    ]) {
      const prediction = await replicate.predictions.create({ version, input: { prompt: "x" } });
      expect(prediction.model).toBe("meta/meta-llama-3-8b-instruct");
      expect(prediction.status).toBe("starting");
      expect((await replicate.wait(prediction, { interval: 10 })).status).toBe("succeeded");
    }
  });

  it("a failed prediction streams an error event, and stream() throws its JSON", async () => {
    emulator.control.failNextPredictions({
      model: "meta/meta-llama-3-8b-instruct",
      error: "CUDA out of memory",
    });
    const events: string[] = [];
    const consume = async () => {
      for await (const event of replicate.stream("meta/meta-llama-3-8b-instruct", {
        input: { prompt: "x" },
      })) {
        events.push(event.event);
      }
    };
    await expect(consume()).rejects.toThrow('{"detail":"CUDA out of memory"}');
    const failed = emulator.control.predictions().at(-1)?.prediction;
    expect(failed).toMatchObject({ status: "failed", error: "CUDA out of memory" });
    const body = await (await fetch(failed?.urls.stream ?? "")).text();
    expect(body).toMatch(
      /event: error\nid: \d+:\d+\ndata: \{"detail":"CUDA out of memory"\}\n\nevent: done\nid: \d+:\d+\ndata: \{"reason":"error"\}\n\n$/,
    );
  });
});
