import type { InputSchema } from "../input-validation.ts";
import {
  type ModelDefinition,
  ModelError,
  type ModelRunContext,
  type ModelRunResult,
} from "../model-definition.ts";
import { readAudioInfo } from "./audio-info.ts";
import { buildSegments, formatSrt, formatVtt } from "./whisper-output.ts";

/** The pinned Whisper version the emulator serves. */
export const whisperVersion = "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e";

/** Billed (and simulated) GPU seconds per second of audio, before `timeScale`. */
export const whisperSecondsPerAudioSecond = 0.1;

const languages: Record<string, string> = {
  en: "english",
  fr: "french",
  de: "german",
  es: "spanish",
  it: "italian",
  pt: "portuguese",
  nl: "dutch",
  ja: "japanese",
  zh: "chinese",
};

const whisperInput: InputSchema = {
  type: "object",
  title: "Input",
  required: ["audio"],
  properties: {
    audio: { type: "string", format: "uri", title: "Audio", description: "Audio file", "x-order": 0 },
    model: {
      type: "string",
      title: "Model",
      enum: ["tiny", "base", "small", "medium", "large-v1", "large-v2", "large-v3"],
      default: "large-v3",
      "x-order": 1,
    },
    transcription: {
      type: "string",
      title: "Transcription",
      enum: ["plain text", "srt", "vtt"],
      default: "plain text",
      "x-order": 2,
    },
    translate: { type: "boolean", title: "Translate", default: false, "x-order": 3 },
    language: { type: "string", title: "Language", default: "auto", "x-order": 4 },
    temperature: { type: "number", title: "Temperature", default: 0, "x-order": 5 },
    patience: { type: "number", title: "Patience", "x-order": 6 },
    suppress_tokens: { type: "string", title: "Suppress Tokens", default: "-1", "x-order": 7 },
    initial_prompt: { type: "string", title: "Initial Prompt", "x-order": 8 },
    condition_on_previous_text: {
      type: "boolean",
      title: "Condition On Previous Text",
      default: true,
      "x-order": 9,
    },
    temperature_increment_on_fallback: { type: "number", default: 0.2, "x-order": 10 },
    compression_ratio_threshold: { type: "number", default: 2.4, "x-order": 11 },
    logprob_threshold: { type: "number", default: -1, "x-order": 12 },
    no_speech_threshold: { type: "number", default: 0.6, "x-order": 13 },
  },
};

const whisperOutput = {
  type: "object",
  title: "ModelOutput",
  required: ["detected_language", "transcription"],
  properties: {
    segments: { title: "Segments" },
    srt_file: { type: "string", format: "uri", title: "Srt File" },
    txt_file: { type: "string", format: "uri", title: "Txt File" },
    translation: { type: "string", title: "Translation" },
    transcription: { type: "string", title: "Transcription" },
    detected_language: { type: "string", title: "Detected Language" },
  },
};

const placeholder = (seconds: number) =>
  `This is a placeholder transcript of ${seconds.toFixed(1)} seconds of audio. The emulator found no TRANSCRIPT tag in the file.`;

async function runWhisper(context: ModelRunContext): Promise<ModelRunResult> {
  const { input } = context;
  context.log(`Transcribe with ${String(input.model)} model.`);
  const url = String(input.audio);
  let audio: Awaited<ReturnType<ModelRunContext["fetchInput"]>>;
  try {
    audio = await context.fetchInput(url);
  } catch (error) {
    throw new ModelError(
      `Could not download the audio: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const info = await readAudioInfo(audio.bytes, audio.contentType);
  const language = String(input.language);
  const detected = language === "auto" ? "english" : (languages[language] ?? language);
  context.log(`Detected language: ${detected[0]?.toUpperCase()}${detected.slice(1)}`);
  const predictTimeSeconds = info.durationSeconds * whisperSecondsPerAudioSecond;
  await context.sleep(predictTimeSeconds * 1000 * context.settings.timeScale);
  const text = info.transcript ?? placeholder(info.durationSeconds);
  const segments = buildSegments(text, info.durationSeconds, Number(input.temperature));
  const plain = segments.map((segment) => segment.text).join("");
  const format = String(input.transcription);
  context.setOutput({
    segments,
    srt_file: null,
    txt_file: null,
    translation: input.translate === true ? plain : null,
    transcription: format === "srt" ? formatSrt(segments) : format === "vtt" ? formatVtt(segments) : plain,
    detected_language: detected,
  });
  return { predictTimeSeconds };
}

/** openai/whisper at its pinned version: reads the real duration, and a TRANSCRIPT tag when present. */
export function whisperModel(): ModelDefinition {
  return {
    owner: "openai",
    name: "whisper",
    description: "Convert speech in audio to text (emulated)",
    isOfficial: false,
    versionId: whisperVersion,
    versionCreatedAt: "2023-11-08T00:00:00.000Z",
    input: whisperInput,
    output: whisperOutput,
    streamsText: false,
    run: runWhisper,
  };
}
