import { resolveCatalogModel } from "@replibot/replicate";
import type { ConsoleDeps } from "../deps.ts";
import { playgroundText } from "./command-line.ts";
import type { CommandResult } from "./commands.ts";
import { startPlaygroundJob } from "./start-job.ts";
import type { Visitor } from "./visitor.ts";

const AUDIO_EXTENSIONS = /\.(ogg|oga|opus|wav|m4a|mp4|webm|mp3|mpga|flac|aac)$/i;
const AUDIO_TYPES = /^(audio\/[\w.+-]+|video\/(webm|mp4)|application\/ogg)$/;

/** Whether an upload claims to be audio (the worker checks the bytes themselves before anything is charged). */
export function looksLikeAudio(file: { name: string; type: string }): boolean {
  const type = file.type.split(";")[0]?.trim().toLowerCase() ?? "";
  if (AUDIO_TYPES.test(type)) return true;
  return (type === "" || type === "application/octet-stream") && AUDIO_EXTENSIONS.test(file.name);
}

/**
 * A voice note uploaded or recorded in the page: stored under an unguessable URL on the console,
 * shown as the visitor's message, and transcribed in a thread under it. The worker downloads it from
 * the console's origin (allowed for console jobs only) with the caps every platform's audio meets.
 */
export async function transcribeUpload(
  deps: ConsoleDeps,
  visitor: Visitor,
  file: File | undefined,
): Promise<CommandResult> {
  const maxBytes = deps.env.TRANSCRIBE_MAX_BYTES;
  if (!file || file.size === 0) return { ok: false, reason: playgroundText.noAudio };
  if (!looksLikeAudio(file)) return { ok: false, reason: playgroundText.notAudio };
  if (file.size > maxBytes) return { ok: false, reason: playgroundText.audioTooLarge(maxBytes) };
  const model = resolveCatalogModel(deps.catalog, "transcribe", undefined);
  if (!model.ok) return { ok: false, reason: playgroundText.unknownModel("", model.choices) };
  const contentType = file.type.split(";")[0]?.trim().toLowerCase() || "application/octet-stream";
  const name = file.name.replace(/[^\w. -]/g, "_").slice(0, 200) || "voice-note";
  const stored = await deps.store.putFile({ name, contentType, data: Buffer.from(await file.arrayBuffer()) });
  return startPlaygroundJob(deps, visitor, {
    kind: "transcribe",
    model: model.model.id,
    input: {
      audioUrl: `${deps.publicOrigin()}/console/files/${stored.id}`,
      contentType,
      sizeBytes: file.size,
      filename: name,
    },
    said: { text: "", files: [stored] },
    threaded: true,
    placeholder: playgroundText.transcribing,
  });
}
