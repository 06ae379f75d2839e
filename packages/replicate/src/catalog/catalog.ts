import { assertNever, type JobKind } from "@replibot/core";
import { z } from "zod";

const UsdDecimal = z
  .string({ error: 'write a price as a quoted decimal string such as "0.003" (numbers lose precision)' })
  .regex(/^\d{1,6}(\.\d{1,15})?$/, 'a price is a decimal string such as "0.003"');

const priceFields = {
  /** The day the price list was read; recorded on each ledger row. */
  priceListDate: z.iso.date(),
  /** Where the price comes from and how sure it is. */
  priceNote: z.string().max(500).optional(),
};

/** Billed per input and output token (official LLMs). */
export const TokenBilling = z.strictObject({
  kind: z.literal("tokens"),
  inputUsdPerMillionTokens: UsdDecimal,
  outputUsdPerMillionTokens: UsdDecimal,
  ...priceFields,
});
export type TokenBilling = z.infer<typeof TokenBilling>;

/** Billed per output image (official image models). */
export const ImageBilling = z.strictObject({
  kind: z.literal("images"),
  usdPerImage: UsdDecimal,
  ...priceFields,
});
export type ImageBilling = z.infer<typeof ImageBilling>;

/** Billed per second of `metrics.predict_time` on named hardware (community models). */
export const HardwareBilling = z.strictObject({
  kind: z.literal("hardware"),
  hardware: z.string().min(1),
  usdPerSecond: UsdDecimal,
  ...priceFields,
});
export type HardwareBilling = z.infer<typeof HardwareBilling>;

/** How Replicate charges for one model. */
export const Billing = z.discriminatedUnion("kind", [TokenBilling, ImageBilling, HardwareBilling]);
export type Billing = z.infer<typeof Billing>;

const modelFields = {
  /** What members and admins pick the model by, e.g. `llama-3-70b`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, "an id is lowercase letters, digits, dots and dashes"),
  label: z.string().min(1).max(100),
  /** `owner/name` on Replicate. */
  model: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "a model is owner/name"),
  /** A pinned version id; without one, the model's official endpoint is used. */
  version: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "a version is 64 lowercase hex digits")
    .optional(),
  /** The deadline sent as Cancel-After, in seconds (Replicate's minimum is 5). */
  maxRunSecs: z.int().min(5).max(1800),
  billing: Billing,
};

/** An instruction-tuned Llama: `prompt`, `system_prompt`, `max_tokens`. */
export const LlamaChatModel = z.strictObject({
  ...modelFields,
  adapter: z.literal("llama-chat"),
  /** `max_tokens`, sent on every request so the worst case is bounded. */
  maxOutputTokens: z.int().min(1).max(8192),
  systemPrompt: z.string().max(4000),
  /** Tokens the chat template adds around the prompts (special and header tokens). */
  templateOverheadTokens: z.int().min(0).max(1000).default(64),
  /** The model's context window: input and output tokens together (Llama 3: 8192). */
  contextWindowTokens: z.int().min(512).max(1_000_000).default(8192),
  /**
   * How the model takes earlier turns: `llama3` = the Llama 3 chat template in `prompt_template`;
   * `transcript` = the system prompt as it is, and the turns written into `prompt` before the
   * question (for models without a template input).
   */
  conversation: z.enum(["llama3", "transcript"]).default("llama3"),
});
export type LlamaChatModel = z.infer<typeof LlamaChatModel>;

/** FLUX: takes `aspect_ratio` directly and has no negative prompt. */
export const FluxModel = z.strictObject({
  ...modelFields,
  adapter: z.literal("flux"),
  imagesPerRun: z.int().min(1).max(4).default(1),
  outputFormat: z.enum(["webp", "jpg", "png"]).default("webp"),
});
export type FluxModel = z.infer<typeof FluxModel>;

/** SDXL: needs `width` and `height`, takes `negative_prompt`. */
export const SdxlModel = z.strictObject({
  ...modelFields,
  adapter: z.literal("sdxl"),
  imagesPerRun: z.int().min(1).max(4).default(1),
  /** Pixels per image the width and height aim at (SDXL is trained near one megapixel). */
  targetPixels: z
    .int()
    .min(256 * 256)
    .max(2048 * 2048)
    .default(1024 * 1024),
});
export type SdxlModel = z.infer<typeof SdxlModel>;

/** Whisper: takes `audio` as a URL. */
export const WhisperModel = z.strictObject({
  ...modelFields,
  adapter: z.literal("whisper"),
  /**
   * A transcription's deadline is `deadlineBaseSecs` (loading the model, a cold start's tail) plus
   * `deadlineSecsPerAudioSec` × the audio's duration, at most `maxRunSecs`: a short voice note is
   * held for a short run, not for the longest one.
   */
  deadlineBaseSecs: z.int().min(5).max(1800).default(30),
  deadlineSecsPerAudioSec: z.number().min(0.01).max(10).default(0.5),
});
export type WhisperModel = z.infer<typeof WhisperModel>;

/** The deadline (Cancel-After, in whole seconds) of transcribing `durationSecs` of audio with `model`. */
export function transcribeDeadlineSecs(model: WhisperModel, durationSecs: number): number {
  const scaled = Math.ceil(
    model.deadlineBaseSecs + model.deadlineSecsPerAudioSec * Math.max(0, durationSecs),
  );
  return Math.min(model.maxRunSecs, Math.max(5, scaled));
}

/** One model the bot can run, with how to call it and how it is billed. */
export const CatalogModel = z.discriminatedUnion("adapter", [
  LlamaChatModel,
  FluxModel,
  SdxlModel,
  WhisperModel,
]);
export type CatalogModel = z.infer<typeof CatalogModel>;

/** How a command's options become a model's input. */
export type ModelAdapter = CatalogModel["adapter"];

/** The models one command may use and which one it uses by default. */
export const CommandModels = z.strictObject({
  default: z.string().min(1),
  models: z.array(CatalogModel).min(1),
});
export type CommandModels = z.infer<typeof CommandModels>;

/** The whole catalog: per command, its models. */
export const Catalog = z
  .strictObject({
    commands: z.strictObject({ ask: CommandModels, imagine: CommandModels, transcribe: CommandModels }),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    for (const command of ["ask", "imagine", "transcribe"] as const) {
      const entry = catalog.commands[command];
      if (!entry.models.some((model) => model.id === entry.default)) {
        ctx.addIssue({
          code: "custom",
          path: ["commands", command, "default"],
          message: `"${entry.default}" is not the id of one of this command's models`,
        });
      }
      entry.models.forEach((model, index) => {
        const path = ["commands", command, "models", index];
        if (seen.has(model.id)) {
          ctx.addIssue({ code: "custom", path: [...path, "id"], message: `id "${model.id}" is used twice` });
        }
        seen.add(model.id);
        if (commandOfAdapter(model.adapter) !== command) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "adapter"],
            message: `adapter "${model.adapter}" cannot serve ${command}`,
          });
        }
        if (model.adapter === "llama-chat" && model.maxOutputTokens >= model.contextWindowTokens) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "maxOutputTokens"],
            message: `maxOutputTokens must leave room for the prompt in the ${model.contextWindowTokens}-token context window`,
          });
        }
        const billingProblem = billingMismatch(model);
        if (billingProblem)
          ctx.addIssue({ code: "custom", path: [...path, "billing", "kind"], message: billingProblem });
      });
    }
  });
export type Catalog = z.infer<typeof Catalog>;

/** The command an adapter serves. */
export function commandOfAdapter(adapter: ModelAdapter): JobKind {
  switch (adapter) {
    case "llama-chat":
      return "ask";
    case "flux":
    case "sdxl":
      return "imagine";
    case "whisper":
      return "transcribe";
    default:
      return assertNever(adapter);
  }
}

function billingMismatch(model: CatalogModel): string | undefined {
  if (model.billing.kind === "tokens" && model.adapter !== "llama-chat") {
    return "only language models can be billed per token";
  }
  if (model.billing.kind === "images" && model.adapter !== "flux" && model.adapter !== "sdxl") {
    return "only image models can be billed per image";
  }
  return undefined;
}

/** The outcome of choosing a model for a command. */
export type ResolveModelResult =
  | { ok: true; model: CatalogModel }
  | { ok: false; reason: "unknown_model"; choices: string[] };

/**
 * The model for `command`: the requested one (by id, or by `owner/name`) if the catalog lists it for
 * that command, the command's default when none is requested.
 */
export function resolveCatalogModel(
  catalog: Catalog,
  command: JobKind,
  requested?: string,
): ResolveModelResult {
  const entry = catalog.commands[command];
  const wanted = requested ?? entry.default;
  const model = entry.models.find((candidate) => candidate.id === wanted || candidate.model === wanted);
  if (model) return { ok: true, model };
  return { ok: false, reason: "unknown_model", choices: entry.models.map((candidate) => candidate.id) };
}

/** Every model of the catalog, in command order. */
export function catalogModels(catalog: Catalog): CatalogModel[] {
  return [
    ...catalog.commands.ask.models,
    ...catalog.commands.imagine.models,
    ...catalog.commands.transcribe.models,
  ];
}
