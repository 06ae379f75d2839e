import { type IAudioMetadata, parseBuffer } from "music-metadata";
import { ModelError } from "../model-definition.ts";

/** What Whisper needs to know about an audio file. */
export interface AudioInfo {
  durationSeconds: number;
  /** Text of a TRANSCRIPT tag, when the file carries one. */
  transcript: string | null;
}

const transcriptPrefix = /^\s*TRANSCRIPT\s*[=:]\s*/i;
const transcriptId = /(^|[:.])TRANSCRIPT$/i;
const commentIds = new Set(["ICMT", "COMM", "COMMENT", "DESCRIPTION", "©cmt", "desc"]);

// RIFF INFO text is decoded as latin1 by music-metadata; undo that when the bytes were really UTF-8.
const repairLatin1 = (text: string): string => {
  const utf8 = Buffer.from(text, "latin1").toString("utf8");
  return utf8.includes("\ufffd") ? text : utf8;
};

const tagText = (value: unknown): string | null => {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "text" in value && typeof value.text === "string")
    return value.text;
  return null;
};

/**
 * Finds a transcript in the native tags: a tag named TRANSCRIPT in any format (Vorbis/Opus comment,
 * ID3 `TXXX:TRANSCRIPT`, MP4 `----:com.apple.iTunes:TRANSCRIPT`), else a comment whose text starts with
 * `TRANSCRIPT=` (RIFF INFO `ICMT`, MP4 `©cmt`, ID3 `COMM`), since RIFF INFO ids are four characters.
 */
export function findTranscript(metadata: IAudioMetadata): string | null {
  const tags = Object.entries(metadata.native).flatMap(([type, list]) =>
    list.map((tag) => ({ type, ...tag })),
  );
  for (const tag of tags) {
    const text = tagText(tag.value);
    if (text !== null && transcriptId.test(tag.id)) return tag.type === "exif" ? repairLatin1(text) : text;
  }
  for (const tag of tags) {
    const text = tagText(tag.value);
    const id = tag.id.split(":")[0] ?? tag.id;
    if (text !== null && commentIds.has(id) && transcriptPrefix.test(text)) {
      const transcript = text.replace(transcriptPrefix, "");
      return tag.type === "exif" ? repairLatin1(transcript) : transcript;
    }
  }
  return null;
}

/** Reads the true duration and any TRANSCRIPT tag; unreadable audio throws a {@link ModelError}. */
export async function readAudioInfo(bytes: Uint8Array, contentType: string | null): Promise<AudioInfo> {
  let metadata: IAudioMetadata;
  try {
    const mimeType = contentType?.split(";")[0]?.trim();
    metadata = await parseBuffer(
      bytes,
      mimeType ? { mimeType, size: bytes.length } : { size: bytes.length },
      {
        duration: true,
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelError(`Could not read the audio file: ${reason}`);
  }
  const durationSeconds = metadata.format.duration;
  if (durationSeconds === undefined || !Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new ModelError("Could not read the audio file: its duration could not be determined");
  }
  return { durationSeconds, transcript: findTranscript(metadata) };
}
