import type { Prediction } from "@replibot/replicate";
import { messages, withStatus } from "./messages.ts";

/** Whisper's output: the transcript and the language it heard. */
function whisperOutput(output: unknown): { text: string; language?: string } {
  if (typeof output === "string") return { text: output };
  const fields = (output ?? {}) as { transcription?: unknown; detected_language?: unknown };
  return {
    text: typeof fields.transcription === "string" ? fields.transcription : "",
    language: typeof fields.detected_language === "string" ? fields.detected_language : undefined,
  };
}

/** "english" as "English". */
function languageName(language: string): string {
  return language.charAt(0).toUpperCase() + language.slice(1);
}

/** The final message of a finished transcription: the transcript, the language heard, the model and its cost. */
export function transcriptText(prediction: Prediction, modelLabel: string, costNanos: bigint): string {
  const { text, language } = whisperOutput(prediction.output);
  const transcript = text.trim() || "_No speech was recognised in this recording._";
  const footer = messages.footer(
    language ? `Language: ${languageName(language)} · ${modelLabel}` : modelLabel,
    costNanos,
  );
  return withStatus(transcript, footer);
}
