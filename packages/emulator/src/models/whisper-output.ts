import { hash32 } from "../hash.ts";

/** One Whisper segment, with the fields openai-whisper returns. */
export interface WhisperSegment {
  id: number;
  seek: number;
  start: number;
  end: number;
  text: string;
  tokens: number[];
  temperature: number;
  avg_logprob: number;
  compression_ratio: number;
  no_speech_prob: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** Splits the transcript into sentence segments whose times share out the audio by text length. */
export function buildSegments(
  transcript: string,
  durationSeconds: number,
  temperature: number,
): WhisperSegment[] {
  const sentences = transcript
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => sentence !== "");
  const parts = sentences.length > 0 ? sentences : [""];
  const totalChars = parts.reduce((sum, part) => sum + Math.max(1, part.length), 0);
  let cursor = 0;
  return parts.map((sentence, id) => {
    const start = cursor;
    cursor += (durationSeconds * Math.max(1, sentence.length)) / totalChars;
    const h = hash32(sentence);
    return {
      id,
      seek: Math.floor(start * 100),
      start: round2(start),
      end: round2(id === parts.length - 1 ? durationSeconds : cursor),
      text: ` ${sentence}`,
      tokens: sentence.split(/\s+/).map((word) => 50_365 + (hash32(word) % 10_000)),
      temperature,
      avg_logprob: round4(-0.1 - (h % 300) / 1000),
      compression_ratio: round4(1.1 + ((h >>> 8) % 500) / 1000),
      no_speech_prob: round4(((h >>> 16) % 100) / 1000),
    };
  });
}

const timestamp = (seconds: number, separator: "," | ".") => {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
};

/** Segments as SubRip text. */
export function formatSrt(segments: readonly WhisperSegment[]): string {
  return segments
    .map((s, i) => `${i + 1}\n${timestamp(s.start, ",")} --> ${timestamp(s.end, ",")}\n${s.text.trim()}\n`)
    .join("\n");
}

/** Segments as WebVTT text. */
export function formatVtt(segments: readonly WhisperSegment[]): string {
  const cues = segments.map(
    (s) => `${timestamp(s.start, ".")} --> ${timestamp(s.end, ".")}\n${s.text.trim()}\n`,
  );
  return `WEBVTT\n\n${cues.join("\n")}`;
}
