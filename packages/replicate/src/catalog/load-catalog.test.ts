import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAppError } from "@replibot/core";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { resolveCatalogModel } from "./catalog.ts";
import { defaultCatalogData } from "./default-catalog.ts";
import { jsonErrorOffset, lineAt } from "./json-error-offset.ts";
import { loadCatalog } from "./load-catalog.ts";

const goodYaml = `# A catalog with one model per command.
commands:
  ask:
    default: small
    models:
      - id: small
        label: Llama 3 8B
        model: meta/meta-llama-3-8b-instruct
        adapter: llama-chat
        maxRunSecs: 30
        maxOutputTokens: 256
        systemPrompt: Be brief.
        billing:
          kind: tokens
          inputUsdPerMillionTokens: "0.05"
          outputUsdPerMillionTokens: "0.25"
          priceListDate: 2026-03-01
  imagine:
    default: flux
    models:
      - id: flux
        label: FLUX schnell
        model: black-forest-labs/flux-schnell
        adapter: flux
        maxRunSecs: 20
        billing: { kind: images, usdPerImage: "0.003", priceListDate: 2026-03-01 }
  transcribe:
    default: whisper
    models:
      - id: whisper
        label: Whisper
        model: openai/whisper
        version: 8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e
        adapter: whisper
        maxRunSecs: 120
        billing: { kind: hardware, hardware: gpu-t4, usdPerSecond: "0.000225", priceListDate: 2026-03-01 }
`;

/** Loads `text` as if it were the file `name`; returns the AppError message (or "" when it loads). */
async function failureOf(text: string, name = "models.yaml"): Promise<string> {
  try {
    await loadCatalog({ file: name, readText: async () => text });
    return "";
  } catch (error) {
    expect(isAppError(error, "config_invalid")).toBe(true);
    return (error as Error).message;
  }
}

describe("loadCatalog", () => {
  it("gives the built-in catalog without a file, with the issue's defaults", async () => {
    for (const file of [undefined, ""]) {
      const catalog = await loadCatalog(file === undefined ? {} : { file });
      const ask = resolveCatalogModel(catalog, "ask");
      expect(ask.ok && ask.model.model).toBe("meta/meta-llama-3-70b-instruct");
      const imagine = resolveCatalogModel(catalog, "imagine");
      expect(imagine.ok && imagine.model.model).toBe("black-forest-labs/flux-schnell");
      const sdxl = resolveCatalogModel(catalog, "imagine", "stability-ai/sdxl");
      expect(sdxl.ok && sdxl.model.version).toBe(
        "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
      );
      const whisper = resolveCatalogModel(catalog, "transcribe");
      expect(whisper.ok && whisper.model.version).toBe(
        "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e",
      );
      expect(resolveCatalogModel(catalog, "ask", "llama-3-8b").ok).toBe(true);
      expect(resolveCatalogModel(catalog, "ask", "flux-schnell")).toEqual({
        ok: false,
        reason: "unknown_model",
        choices: ["llama-3-70b", "llama-3-8b"],
      });
    }
  });

  it("loads a good YAML file from disk, applying defaults", async () => {
    const dir = await mkdtemp(join(tmpdir(), "catalog-"));
    const file = join(dir, "models.yaml");
    await writeFile(file, goodYaml);
    const catalog = await loadCatalog({ file });
    const ask = resolveCatalogModel(catalog, "ask");
    expect(ask.ok && ask.model).toMatchObject({
      id: "small",
      maxOutputTokens: 256,
      templateOverheadTokens: 64,
      contextWindowTokens: 8192,
      conversation: "llama3",
    });
    const flux = resolveCatalogModel(catalog, "imagine", "flux");
    expect(flux.ok && flux.model).toMatchObject({ imagesPerRun: 1, outputFormat: "webp" });
  });

  it("loads the built-in catalog written out as YAML and as JSON", async () => {
    const fromYaml = await loadCatalog({
      file: "m.yml",
      readText: async () => stringify(defaultCatalogData),
    });
    const fromJson = await loadCatalog({
      file: "m.json",
      readText: async () => JSON.stringify(defaultCatalogData, null, 2),
    });
    expect(fromJson).toEqual(fromYaml);
    expect(fromYaml).toEqual(await loadCatalog());
  });

  it("refuses a context window with no room for the prompt beside max_tokens", async () => {
    const small = goodYaml.replace(
      "maxOutputTokens: 256\n",
      "maxOutputTokens: 1024\n        contextWindowTokens: 1024\n",
    );
    expect(await failureOf(small)).toContain(
      "commands.ask.models.0.maxOutputTokens: maxOutputTokens must leave room for the prompt in the 1024-token context window",
    );
    const roomy = goodYaml.replace(
      "maxOutputTokens: 256\n",
      "maxOutputTokens: 256\n        contextWindowTokens: 1024\n",
    );
    expect(await failureOf(roomy)).toBe("");
    expect(
      await failureOf(
        goodYaml.replace("maxOutputTokens: 256\n", "maxOutputTokens: 256\n        conversation: chatml\n"),
      ),
    ).toMatch(/commands\.ask\.models\.0\.conversation/);
  });

  it("names the line of a YAML syntax error", async () => {
    const broken = goodYaml.replace("        maxRunSecs: 20\n", "        maxRunSecs: [20\n");
    const line = goodYaml.split("\n").indexOf("        maxRunSecs: 20") + 1;
    const message = await failureOf(broken);
    expect(message).toMatch(/^MODELS_FILE models\.yaml line \d+: not valid YAML/);
    expect(Number(/line (\d+)/.exec(message)?.[1])).toBeGreaterThanOrEqual(line);
  });

  it("names the line, the field and the reason of a bad value", async () => {
    const badPrice = goodYaml.replace('usdPerImage: "0.003"', "usdPerImage: 0.003");
    const line = goodYaml.split("\n").findIndex((text) => text.includes("usdPerImage")) + 1;
    expect(await failureOf(badPrice)).toBe(
      `MODELS_FILE models.yaml is invalid: line ${line}: commands.imagine.models.0.billing.usdPerImage: ` +
        'write a price as a quoted decimal string such as "0.003" (numbers lose precision)',
    );
    const badDefault = goodYaml.replace("default: flux", "default: dalle");
    const defaultLine = goodYaml.split("\n").indexOf("    default: flux") + 1;
    expect(await failureOf(badDefault)).toContain(
      `line ${defaultLine}: commands.imagine.default: "dalle" is not the id of one of this command's models`,
    );
    const wrongAdapter = goodYaml.replace("adapter: whisper", "adapter: flux");
    expect(await failureOf(wrongAdapter)).toMatch(
      /commands\.transcribe\.models\.0\.adapter: adapter "flux" cannot serve/,
    );
    const tooShort = goodYaml.replace("maxRunSecs: 30", "maxRunSecs: 2");
    const shortLine = goodYaml.split("\n").indexOf("        maxRunSecs: 30") + 1;
    expect(await failureOf(tooShort)).toMatch(
      new RegExp(`line ${shortLine}: commands\\.ask\\.models\\.0\\.maxRunSecs: `),
    );
    const unknownKey = goodYaml.replace(
      "systemPrompt: Be brief.",
      "systemPrompt: Be brief.\n        temprature: 2",
    );
    expect(await failureOf(unknownKey)).toMatch(/commands\.ask\.models\.0: Unrecognized key: "temprature"/);
  });

  it("names the line of a JSON syntax error, even when V8 gives no position", async () => {
    const json = JSON.stringify(defaultCatalogData, null, 2);
    const broken = json.replace('"maxRunSecs": 60,', '"maxRunSecs": 60,,');
    const line = json.split("\n").findIndex((text) => text.includes('"maxRunSecs": 60,')) + 1;
    expect(await failureOf(broken, "models.json")).toMatch(
      new RegExp(`^MODELS_FILE models\\.json line ${line}: not valid JSON: `),
    );
    const truncated = json.slice(0, 200);
    expect(await failureOf(truncated, "models.json")).toMatch(/line \d+: not valid JSON: /);
  });

  it("names the line of a bad field in a JSON file", async () => {
    const json = JSON.stringify(defaultCatalogData, null, 2).replace(
      '"hardware": "gpu-t4"',
      '"hardware": ""',
    );
    const line = json.split("\n").findIndex((text) => text.includes('"hardware": ""')) + 1;
    expect(await failureOf(json, "models.json")).toMatch(
      new RegExp(`line ${line}: commands\\.transcribe\\.models\\.0\\.billing\\.hardware: `),
    );
  });

  it("says so when the file cannot be read", async () => {
    await expect(loadCatalog({ file: "/nonexistent/models.yaml" })).rejects.toThrow(
      /MODELS_FILE \/nonexistent\/models\.yaml cannot be read/,
    );
  });
});

describe("jsonErrorOffset", () => {
  it("finds the first bad character, or nothing in valid JSON", () => {
    expect(jsonErrorOffset('{"a": [1, 2, {"b": null}], "c": "\\u00e9"}')).toBeUndefined();
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset("[1,]")).toBe(3);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset("")).toBe(0);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(lineAt("a\nb\nc", 4)).toBe(3);
  });
});
