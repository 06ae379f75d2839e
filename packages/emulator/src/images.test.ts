import Replicate from "replicate";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, nsfwError, sdxlVersion } from "./index.ts";

let emulator: Emulator;
let replicate: Replicate;
const progressLine = /^\s*(\d+)%\s*\|.+?\|\s*(\d+)\/(\d+)/;

beforeAll(async () => {
  emulator = await createEmulator({ imageStepMs: 1, nsfwTriggerWord: "forbidden-word" });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl });
});
afterAll(() => emulator.close());

const fetchImage = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes, contentType: response.headers.get("content-type"), meta: await sharp(bytes).metadata() };
};

describe("image models", () => {
  it("flux-schnell returns http URLs of webp images at the aspect ratio's size", async () => {
    const output = (await replicate.run("black-forest-labs/flux-schnell", {
      input: { prompt: "a lighthouse at dusk", aspect_ratio: "16:9", num_outputs: 2 },
    })) as unknown[];
    expect(output).toHaveLength(2);
    expect(output.every((url) => typeof url === "string" && url.startsWith(`${emulator.origin}/`))).toBe(
      true,
    );
    const image = await fetchImage(output[0] as string);
    expect(image.contentType).toBe("image/webp");
    expect(image.meta).toMatchObject({ format: "webp", width: 1344, height: 768 });
  });

  it("flux-schnell logs the seed first, tqdm progress per step, and bills per image", async () => {
    const prediction = await replicate.predictions.create({
      model: "black-forest-labs/flux-schnell",
      input: { prompt: "a red kite", output_format: "png", megapixels: "0.25" },
      wait: true,
    });
    expect(prediction.status).toBe("succeeded");
    const lines = (prediction.logs ?? "").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Using seed: \d+$/);
    const steps = lines.filter((line) => progressLine.test(line));
    expect(steps).toHaveLength(5); // 0/4 then one line per step
    expect(steps.at(-1)).toMatch(/^100%\|██████████\| 4\/4 /);
    expect((prediction.metrics as Record<string, number>).image_count).toBe(1);
    const image = await fetchImage((prediction.output as string[])[0] ?? "");
    expect(image.meta).toMatchObject({ format: "png", width: 512, height: 512 });
  });

  it("SDXL at its pinned version writes PNGs of the requested size; the seed changes the bytes", async () => {
    const run = async (seed: number) => {
      const output = (await replicate.run(`stability-ai/sdxl:${sdxlVersion}`, {
        input: { prompt: "a corgi", width: 320, height: 192, seed, num_inference_steps: 3 },
      })) as string[];
      return fetchImage(output[0] ?? "");
    };
    const a = await run(1);
    const again = await run(1);
    const b = await run(2);
    expect(a.meta).toMatchObject({ format: "png", width: 320, height: 192 });
    expect(a.contentType).toBe("image/png");
    expect(again.bytes.equals(a.bytes)).toBe(true);
    expect(b.bytes.equals(a.bytes)).toBe(false);
  });

  it("imageGrain makes photo-sized files (a 1024² SDXL PNG of about 1 MB), still the same bytes for the same seed", async () => {
    const grainy = await createEmulator({ imageStepMs: 1, imageGrain: 16 });
    try {
      const client = new Replicate({ auth: "r8_test", baseUrl: grainy.baseUrl });
      const run = async () => {
        const output = (await client.run(`stability-ai/sdxl:${sdxlVersion}`, {
          input: { prompt: "a corgi", width: 1024, height: 1024, seed: 7, num_inference_steps: 1 },
        })) as string[];
        return fetchImage(output[0] ?? "");
      };
      const a = await run();
      const again = await run();
      expect(a.meta).toMatchObject({ format: "png", width: 1024, height: 1024 });
      expect(a.bytes.length).toBeGreaterThan(900_000);
      expect(again.bytes.equals(a.bytes)).toBe(true);
    } finally {
      await grainy.close();
    }
  });

  it("a different prompt gives different pixels", async () => {
    const run = async (prompt: string) => {
      const output = (await replicate.run("black-forest-labs/flux-schnell", {
        input: { prompt, seed: 5, megapixels: "0.25" },
      })) as string[];
      return (await fetchImage(output[0] ?? "")).bytes;
    };
    expect((await run("a cat")).equals(await run("a dog"))).toBe(false);
  });

  it("output URLs expire (410) once the emulator's clock passes an hour", async () => {
    const [url] = (await replicate.run("black-forest-labs/flux-schnell", {
      input: { prompt: "ephemeral", megapixels: "0.25" },
    })) as string[];
    expect((await fetch(url ?? "")).status).toBe(200);
    emulator.control.advanceClock(59 * 60 * 1000);
    expect((await fetch(url ?? "")).status).toBe(200);
    emulator.control.advanceClock(2 * 60 * 1000);
    const expired = await fetch(url ?? "");
    expect(expired.status).toBe(410);
    expect(expired.headers.get("content-type")).toBe("application/problem+json");
    expect(await expired.json()).toMatchObject({ status: 410 });
  });

  it("the trigger word fails the prediction with the safety checker's error unless it is disabled", async () => {
    await expect(
      replicate.run("black-forest-labs/flux-schnell", { input: { prompt: "a FORBIDDEN-WORD scene" } }),
    ).rejects.toThrow(`Prediction failed: ${nsfwError}`);
    const [failed] = (await replicate.predictions.list()).results;
    expect(failed).toMatchObject({ status: "failed", error: nsfwError });

    const output = (await replicate.run("black-forest-labs/flux-schnell", {
      input: { prompt: "a forbidden-word scene", disable_safety_checker: true, megapixels: "0.25" },
    })) as string[];
    expect(output).toHaveLength(1);
  });
});
