import type { z } from "zod";
import type { Catalog } from "./catalog.ts";

// The prices come from replicate-contract.md §8.3. The pricing page snapshot it quotes is undated;
// its newest dated source (the OpenAPI copy) is from March 2026, so that month is the list date.
const priceListDate = "2026-03-01";

const systemPrompt =
  "You are Replibot, a helpful assistant in a group chat. Answer clearly and concisely; use Markdown sparingly.";

/** The catalog used when no MODELS_FILE is given (input form: defaults not yet applied). */
export const defaultCatalogData: z.input<typeof Catalog> = {
  commands: {
    ask: {
      default: "llama-3-70b",
      models: [
        {
          id: "llama-3-70b",
          label: "Llama 3 70B Instruct",
          model: "meta/meta-llama-3-70b-instruct",
          adapter: "llama-chat",
          maxRunSecs: 120,
          maxOutputTokens: 1024,
          contextWindowTokens: 8192,
          systemPrompt,
          billing: {
            kind: "tokens",
            inputUsdPerMillionTokens: "0.65",
            outputUsdPerMillionTokens: "2.75",
            priceListDate,
            priceNote: "third-party price table (LiteLLM); not confirmed on replicate.com",
          },
        },
        {
          id: "llama-3-8b",
          label: "Llama 3 8B Instruct",
          model: "meta/meta-llama-3-8b-instruct",
          adapter: "llama-chat",
          maxRunSecs: 60,
          maxOutputTokens: 1024,
          contextWindowTokens: 8192,
          systemPrompt,
          billing: {
            kind: "tokens",
            inputUsdPerMillionTokens: "0.05",
            outputUsdPerMillionTokens: "0.25",
            priceListDate,
            priceNote: "third-party price table (LiteLLM); not confirmed on replicate.com",
          },
        },
      ],
    },
    imagine: {
      default: "flux-schnell",
      models: [
        {
          id: "flux-schnell",
          label: "FLUX.1 [schnell]",
          model: "black-forest-labs/flux-schnell",
          adapter: "flux",
          maxRunSecs: 60,
          imagesPerRun: 1,
          billing: {
            kind: "images",
            usdPerImage: "0.003",
            priceListDate,
            priceNote: "model page: $3 per 1,000 images",
          },
        },
        {
          id: "sdxl",
          label: "Stable Diffusion XL",
          model: "stability-ai/sdxl",
          version: "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
          adapter: "sdxl",
          maxRunSecs: 180,
          imagesPerRun: 1,
          billing: {
            kind: "hardware",
            hardware: "gpu-l40s",
            usdPerSecond: "0.000975",
            priceListDate,
            priceNote:
              "assumption: the hardware SDXL runs on is not confirmed; L40S price from the pricing page",
          },
        },
      ],
    },
    transcribe: {
      default: "whisper",
      models: [
        {
          id: "whisper",
          label: "Whisper",
          model: "openai/whisper",
          version: "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e",
          adapter: "whisper",
          // 600 s of audio (TRANSCRIBE_MAX_SECONDS' default) gets 30 + 0.5 × 600 = 330 s.
          maxRunSecs: 600,
          deadlineBaseSecs: 30,
          deadlineSecsPerAudioSec: 0.5,
          billing: {
            kind: "hardware",
            hardware: "gpu-t4",
            usdPerSecond: "0.000225",
            priceListDate,
            priceNote: "model page shows T4; T4 price from the pricing page",
          },
        },
      ],
    },
  },
};
