import { describe, expect, it } from "vitest";
import { type Catalog, type CatalogModel, resolveCatalogModel } from "./catalog.ts";
import { dimensionsForAspectRatio } from "./image-dimensions.ts";
import { loadCatalog } from "./load-catalog.ts";
import { buildModelInput } from "./model-input.ts";

const catalog: Catalog = await loadCatalog();
function model(command: "ask" | "imagine" | "transcribe", id?: string): CatalogModel {
  const found = resolveCatalogModel(catalog, command, id);
  if (!found.ok) throw new Error(`no ${id}`);
  return found.model;
}

describe("buildModelInput", () => {
  it("sends every LLM request with max_tokens and the system prompt", () => {
    expect(buildModelInput(model("ask"), { kind: "ask", input: { prompt: "hi" } }).input).toEqual({
      prompt: "hi",
      system_prompt: expect.stringContaining("Replibot"),
      max_tokens: 1024,
    });
    const custom = buildModelInput(model("ask"), {
      kind: "ask",
      input: { prompt: "hi" },
      systemPrompt: "Pirate.",
    });
    expect(custom.input.system_prompt).toBe("Pirate.");
  });

  it("sends earlier turns in the Llama 3 template, leaving the question as the prompt", () => {
    const ask = model("ask");
    const history = [
      { prompt: "Name a llama.", answer: "Larry." },
      { prompt: "And {another}?", answer: "Lola." },
    ];
    const { input } = buildModelInput(ask, {
      kind: "ask",
      input: { prompt: "Repeat exactly:\nok" },
      systemPrompt: "Pirate.",
      history,
    });
    expect(input).toEqual({
      prompt: "Repeat exactly:\nok",
      system_prompt: "Pirate.",
      max_tokens: 1024,
      prompt_template:
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{system_prompt}<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\nName a llama.<|eot_id|>" +
        "<|start_header_id|>assistant<|end_header_id|>\n\nLarry.<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\nAnd {{another}}?<|eot_id|>" +
        "<|start_header_id|>assistant<|end_header_id|>\n\nLola.<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\n{prompt}<|eot_id|>" +
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
    });
    const fresh = buildModelInput(ask, { kind: "ask", input: { prompt: "hi" }, history: [] });
    expect(fresh.input).not.toHaveProperty("prompt_template");
  });

  it("gives flux the aspect ratio directly and drops a negative prompt with a note", () => {
    const result = buildModelInput(model("imagine"), {
      kind: "imagine",
      input: { prompt: "a llama", aspectRatio: "16:9", negativePrompt: "blurry", seed: 7 },
    });
    expect(result.input).toEqual({
      prompt: "a llama",
      aspect_ratio: "16:9",
      num_outputs: 1,
      output_format: "webp",
      disable_safety_checker: false,
      seed: 7,
    });
    expect(result.notes).toEqual([{ code: "negative_prompt_unsupported", message: expect.any(String) }]);
  });

  it("gives sdxl width, height and the negative prompt", () => {
    const result = buildModelInput(model("imagine", "sdxl"), {
      kind: "imagine",
      input: { prompt: "a llama", aspectRatio: "16:9", negativePrompt: "blurry" },
    });
    expect(result.input).toEqual({
      prompt: "a llama",
      width: 1368,
      height: 768,
      num_outputs: 1,
      negative_prompt: "blurry",
      disable_safety_checker: false,
    });
    expect(result.notes).toEqual([]);
  });

  it("turns the safety checker off only when the job says an admin allowed it", () => {
    for (const id of ["flux-schnell", "sdxl"]) {
      const on = buildModelInput(model("imagine", id), {
        kind: "imagine",
        input: { prompt: "a llama", safetyCheckerOff: true },
      });
      expect(on.input.disable_safety_checker).toBe(true);
    }
  });

  it("gives whisper the audio URL", () => {
    const input = { audioUrl: "https://cdn.test/voice.ogg", contentType: "audio/ogg", durationSecs: 3 };
    expect(buildModelInput(model("transcribe"), { kind: "transcribe", input }).input).toEqual({
      audio: "https://cdn.test/voice.ogg",
    });
  });

  it("refuses a model that does not serve the command", () => {
    expect(() => buildModelInput(model("imagine"), { kind: "ask", input: { prompt: "hi" } })).toThrow(
      /cannot serve/,
    );
  });
});

describe("dimensionsForAspectRatio", () => {
  it("gives multiples of 8 near one megapixel with the asked ratio", () => {
    for (const ratio of ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21"]) {
      const { width, height } = dimensionsForAspectRatio(ratio);
      const [w = 1, h = 1] = ratio.split(":").map(Number);
      expect(width % 8).toBe(0);
      expect(height % 8).toBe(0);
      expect(Math.abs((width * height) / (1024 * 1024) - 1)).toBeLessThan(0.03);
      expect(Math.abs(width / height - w / h) / (w / h)).toBeLessThan(0.02);
    }
    expect(dimensionsForAspectRatio("1:1")).toEqual({ width: 1024, height: 1024 });
  });
});
