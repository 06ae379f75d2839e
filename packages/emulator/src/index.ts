export { createEmulator, type Emulator } from "./create-emulator.ts";
export type { EmulatorControl, PredictionInspection } from "./emulator-control.ts";
export type { EmulatorOptions } from "./emulator-options.ts";
export { defaultDeployments } from "./model-registry.ts";
export { nsfwError } from "./models/diffusion.ts";
export {
  countTemplateTokens,
  formatPromptTemplate,
  LLAMA3_CONTEXT_WINDOW_TOKENS,
  PromptTemplateError,
  REPEAT_PREFIX,
} from "./models/llm-answer.ts";
export { sdxlVersion } from "./models/sdxl.ts";
export { whisperSecondsPerAudioSecond, whisperVersion } from "./models/whisper.ts";
export type { PredictionJson, PredictionStatus, WebhookEvent } from "./prediction.ts";
export type { RequestLogEntry } from "./request-log.ts";
export { formatSseEvent, type StreamEvent, sseOpening } from "./sse-format.ts";
export { type M4aOptions, makeM4a } from "./test-media/m4a.ts";
export { makeOggOpus, type OggOpusOptions } from "./test-media/ogg-opus.ts";
export { makeWav, type WavOptions } from "./test-media/wav.ts";
export { makeWebm, type WebmOptions } from "./test-media/webm.ts";
export type { WebhookDelivery } from "./webhook-dispatcher.ts";
export { signWebhook } from "./webhook-signer.ts";
