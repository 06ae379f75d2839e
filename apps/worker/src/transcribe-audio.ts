import type { AttachmentOrigins } from "@replibot/core";
import { AppError, ReplyTarget, TranscribeInput } from "@replibot/core";
import type { JobRow } from "@replibot/db";
import { type CatalogModel, transcribeDeadlineSecs } from "@replibot/replicate";
import { checkAudio, tooLong } from "./audio-check.ts";
import { downloadMemberFile, tooLargeReason } from "./audio-download.ts";
import type { WorkerDeps } from "./deps.ts";

/** TRANSCRIBE_MAX_BYTES, TRANSCRIBE_MAX_SECONDS and where members' files may come from. */
export interface TranscribeConfig {
  origins: AttachmentOrigins;
  maxBytes: number;
  maxSeconds: number;
}

/** A member's recording, checked and ready for Whisper, or why it will not be transcribed. */
export type PreparedAudio =
  | {
      ok: true;
      bytes: Uint8Array;
      mimeType: string;
      filename: string;
      durationSecs: number;
      deadlineSecs: number;
    }
  | { ok: false; reason: string };

const extensions: Record<string, string> = {
  "audio/ogg": "ogg",
  "audio/wav": "wav",
  "audio/flac": "flac",
  "audio/mp4": "m4a",
  "audio/webm": "webm",
  "audio/mpeg": "mp3",
};

/**
 * Gets a transcription job's audio ready, before anything is held or sent: the declared size and
 * duration against the caps, the download from the platform's own file host (with its
 * credentials), then the bytes themselves (audio, and not too long). The deadline follows the real
 * duration, as the catalog scales it.
 */
export async function prepareAudio(
  deps: WorkerDeps,
  job: JobRow,
  model: CatalogModel,
): Promise<PreparedAudio> {
  if (model.adapter !== "whisper") throw new AppError("internal", `model ${model.id} does not transcribe`);
  const { maxBytes, maxSeconds, origins } = deps.config.transcribe;
  const input = TranscribeInput.parse(job.input);
  if (input.sizeBytes !== undefined && input.sizeBytes > maxBytes) {
    return { ok: false, reason: tooLargeReason(maxBytes) };
  }
  if (input.durationSecs !== undefined && input.durationSecs > maxSeconds) {
    const refused = tooLong(input.durationSecs, maxSeconds);
    return { ok: false, reason: refused.ok ? "" : refused.reason };
  }
  const target = ReplyTarget.parse(job.replyTarget);
  // Each platform's own file host only: the console's origin serves console jobs and no other.
  const allowed = origins[target.platform];
  const platform = deps.platforms[target.platform];
  const download = await downloadMemberFile(input.audioUrl, {
    origins: allowed,
    maxBytes,
    headers: (await platform?.downloadHeaders?.(target)) ?? {},
  });
  if (!download.ok) return download;
  const audio = await checkAudio(download.bytes, maxSeconds);
  if (!audio.ok) return audio;
  const base =
    (input.filename ?? "voice-note").replace(/\.[^.]*$/, "").replace(/[^\w.-]/g, "_") || "voice-note";
  return {
    ok: true,
    bytes: download.bytes,
    mimeType: audio.mimeType,
    filename: `${base}.${extensions[audio.mimeType] ?? "audio"}`,
    durationSecs: audio.durationSecs,
    deadlineSecs: transcribeDeadlineSecs(model, audio.durationSecs),
  };
}
