import { AskInput, ImagineInput, isAppError, TranscribeInput } from "@replibot/core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Prediction, PredictionStatus } from "../prediction.ts";
import { actualCostNanos } from "./actual-cost.ts";
import { type Catalog, type CatalogModel, resolveCatalogModel } from "./catalog.ts";
import { decimalFromNumber, formatDecimal, parseDecimal } from "./decimal.ts";
import { loadCatalog } from "./load-catalog.ts";
import { buildModelInput } from "./model-input.ts";
import { worstCaseCostNanos } from "./worst-case-cost.ts";

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

function model(id: string): CatalogModel {
  for (const command of ["ask", "imagine", "transcribe"] as const) {
    const found = resolveCatalogModel(catalog, command, id);
    if (found.ok) return found.model;
  }
  throw new Error(`no model ${id}`);
}

function finished(status: PredictionStatus, metrics: Prediction["metrics"], output?: unknown): Prediction {
  return { id: "p1", status, metrics, output };
}

describe("decimal arithmetic", () => {
  it("reads prices and JSON numbers exactly", () => {
    expect(formatDecimal(parseDecimal("0.000975"))).toBe("0.000975");
    expect(formatDecimal(parseDecimal("1e-7"))).toBe("0.0000001");
    expect(formatDecimal(parseDecimal("1.5e3"))).toBe("1500");
    expect(formatDecimal(decimalFromNumber(5.524512))).toBe("5.524512");
    expect(formatDecimal(decimalFromNumber(8.0))).toBe("8");
    expect(() => parseDecimal("-1")).toThrow();
    expect(() => decimalFromNumber(Number.NaN)).toThrow();
  });
});

describe("actualCostNanos: the contract's worked examples", () => {
  it("llama-3-70b, 26 in / 84 out = $0.0002479", () => {
    const cost = actualCostNanos(
      model("llama-3-70b"),
      finished("succeeded", { input_token_count: 26, output_token_count: 84 }),
    );
    expect(cost.costNanos).toBe(247_900n);
    expect(cost.breakdown).toMatchObject({
      billing: "tokens",
      priceListDate: "2026-03-01",
      exactUsd: "0.0002479",
      lines: [
        { unit: "input_token", quantity: "26", usdPerUnit: "0.00000065", usd: "0.0000169" },
        { unit: "output_token", quantity: "84", usdPerUnit: "0.00000275", usd: "0.000231" },
      ],
    });
  });

  it("llama-3-8b, 26 in / 84 out = $0.0000223", () => {
    const prediction = finished("succeeded", { input_token_count: 26, output_token_count: 84 });
    expect(actualCostNanos(model("llama-3-8b"), prediction).costNanos).toBe(22_300n);
  });

  it("flux-schnell, 2 images = $0.006, from image_count or from the output list", () => {
    const flux = model("flux-schnell");
    expect(actualCostNanos(flux, finished("succeeded", { image_count: 2 })).costNanos).toBe(6_000_000n);
    const urls = ["https://replicate.delivery/a/out-0.webp", "https://replicate.delivery/a/out-1.webp"];
    expect(actualCostNanos(flux, finished("succeeded", { predict_time: 0.5 }, urls)).costNanos).toBe(
      6_000_000n,
    );
  });

  it("whisper, 8.0 s on T4 = $0.0018", () => {
    const cost = actualCostNanos(model("whisper"), finished("succeeded", { predict_time: 8.0 }));
    expect(cost.costNanos).toBe(1_800_000n);
    expect(cost.breakdown).toMatchObject({ billing: "hardware", hardware: "gpu-t4", exactUsd: "0.0018" });
  });

  it("sdxl, 5.524512 s on L40S: exact $0.0053863992, rounded up once to 5,386,400 nanos", () => {
    const cost = actualCostNanos(model("sdxl"), finished("succeeded", { predict_time: 5.524512 }));
    expect(cost.breakdown.exactUsd).toBe("0.0053863992");
    expect(cost.breakdown.lines[0]).toMatchObject({
      unit: "second",
      quantity: "5.524512",
      usdPerUnit: "0.000975",
    });
    expect(cost.costNanos).toBe(5_386_400n);
  });

  it("does not inherit float error: 0.033 s on L40S is exactly 32,175 nanos (floats say 32,176)", () => {
    expect(Math.ceil(0.033 * 0.000975 * 1e9)).toBe(32_176);
    expect(actualCostNanos(model("sdxl"), finished("succeeded", { predict_time: 0.033 })).costNanos).toBe(
      32_175n,
    );
  });
});

describe("actualCostNanos: failures and cancellations", () => {
  it("charges time-billed models their predict time when failed or canceled, nothing when aborted", () => {
    const sdxl = model("sdxl");
    expect(actualCostNanos(sdxl, finished("failed", { predict_time: 2 })).costNanos).toBe(1_950_000n);
    // The contract's real canceled SDXL prediction: 0.128148 s.
    expect(actualCostNanos(sdxl, finished("canceled", { predict_time: 0.128148 })).costNanos).toBe(124_945n);
    expect(actualCostNanos(sdxl, finished("aborted", { predict_time: 4 })).costNanos).toBe(0n);
    const whisper = actualCostNanos(model("whisper"), finished("canceled", null));
    expect(whisper.costNanos).toBe(0n);
    expect(whisper.breakdown.notes.join()).toMatch(/predict_time missing/);
  });

  it("charges token-billed models nothing when failed, the tokens produced when canceled", () => {
    const llama = model("llama-3-70b");
    const counts = { input_token_count: 26, output_token_count: 84, predict_time: 3 };
    expect(actualCostNanos(llama, finished("failed", counts)).costNanos).toBe(0n);
    expect(actualCostNanos(llama, finished("aborted", null)).costNanos).toBe(0n);
    expect(actualCostNanos(llama, finished("canceled", counts)).costNanos).toBe(247_900n);
    const noCounts = actualCostNanos(llama, finished("canceled", {}, [" Hello", " there"]));
    expect(noCounts.costNanos).toBe(5_500n);
    expect(noCounts.breakdown.notes.join()).toMatch(/output chunks/);
  });

  it("charges image-billed models nothing when failed, the images produced when canceled", () => {
    const flux = model("flux-schnell");
    expect(actualCostNanos(flux, finished("failed", { image_count: 1 })).costNanos).toBe(0n);
    expect(actualCostNanos(flux, finished("canceled", { predict_time: 0.2 }, null)).costNanos).toBe(0n);
    expect(actualCostNanos(flux, finished("canceled", {}, ["https://x/out-0.webp"])).costNanos).toBe(
      3_000_000n,
    );
  });

  it("refuses to price a prediction that has not finished", () => {
    for (const status of ["starting", "processing"] as const) {
      expect(() => actualCostNanos(model("sdxl"), finished(status, null))).toThrow(
        expect.toSatisfy((error: unknown) => isAppError(error, "invalid_input")),
      );
    }
  });
});

describe("worstCaseCostNanos", () => {
  it("bounds a hardware model by its deadline and a token model by bytes and max_tokens", () => {
    const sdxl = model("sdxl");
    const hold = worstCaseCostNanos(sdxl, { prompt: "a corgi" });
    expect(hold.costNanos).toBe(180n * 975_000n);
    const llama = model("llama-3-8b");
    const { input } = buildModelInput(llama, { kind: "ask", input: { prompt: "héllo" } });
    const worst = worstCaseCostNanos(llama, input);
    const system = new TextEncoder().encode(String(input.system_prompt)).length;
    const inputTokens = 6 + system + 64;
    expect(worst.breakdown.lines[0]?.quantity).toBe(String(inputTokens));
    expect(worst.breakdown.lines[1]?.quantity).toBe("1024");
    expect(worst.costNanos).toBe(BigInt(inputTokens) * 50n + 1024n * 250n);
    const flux = model("flux-schnell");
    expect(worstCaseCostNanos(flux, { prompt: "x", num_outputs: 4 }).costNanos).toBe(12_000_000n);
  });

  const anyTerminal = fc.constantFrom<PredictionStatus>("succeeded", "failed", "canceled", "aborted");

  it("is never below the actual cost of the same job (token models)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("llama-3-70b", "llama-3-8b"),
        fc.string({ minLength: 1, maxLength: 400, unit: "grapheme" }),
        anyTerminal,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (id, prompt, status, inShare, outShare) => {
          const llama = model(id);
          const job = AskInput.safeParse({ prompt });
          fc.pre(job.success);
          const { input } = buildModelInput(llama, { kind: "ask", input: AskInput.parse({ prompt }) });
          // Any real tokenizer count fits in the prompts' bytes plus the template; output in max_tokens.
          const maxIn = new TextEncoder().encode(prompt + String(input.system_prompt)).length + 64;
          const metrics = {
            input_token_count: Math.floor(inShare * maxIn),
            output_token_count: Math.floor(outShare * Number(input.max_tokens)),
          };
          const actual = actualCostNanos(llama, finished(status, metrics)).costNanos;
          expect(worstCaseCostNanos(llama, input).costNanos).toBeGreaterThanOrEqual(actual);
        },
      ),
    );
  });

  it("is never below the actual cost of the same job (image and time-billed models)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("flux-schnell", "sdxl", "whisper"),
        anyTerminal,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat({ max: 4 }),
        (id, status, timeShare, extraImages) => {
          const entry = model(id);
          const request =
            entry.adapter === "whisper"
              ? {
                  kind: "transcribe" as const,
                  input: TranscribeInput.parse({ audioUrl: "https://cdn.test/a.ogg" }),
                }
              : {
                  kind: "imagine" as const,
                  input: ImagineInput.parse({ prompt: "a llama", aspectRatio: "16:9" }),
                };
          const { input } = buildModelInput(entry, request);
          const images = Math.min(Number(input.num_outputs ?? 1), extraImages);
          // predict_time never exceeds the deadline (Cancel-After is measured from creation).
          const metrics = { predict_time: timeShare * entry.maxRunSecs, image_count: images };
          const actual = actualCostNanos(entry, finished(status, metrics)).costNanos;
          expect(worstCaseCostNanos(entry, input).costNanos).toBeGreaterThanOrEqual(actual);
        },
      ),
    );
  });
});
