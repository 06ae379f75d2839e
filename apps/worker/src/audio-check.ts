import { parseBuffer } from "music-metadata";

/** What the bytes of a member's file turned out to be. */
export type AudioCheck =
  | { ok: true; durationSecs: number; mimeType: string }
  | { ok: false; reason: string; code: "not_audio" | "too_long" };

// The containers Whisper reads, by the magic bytes they start with.
const signatures: { mimeType: string; test: (b: Uint8Array) => boolean }[] = [
  { mimeType: "audio/ogg", test: (b) => ascii(b, 0, 4) === "OggS" },
  { mimeType: "audio/wav", test: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WAVE" },
  { mimeType: "audio/flac", test: (b) => ascii(b, 0, 4) === "fLaC" },
  { mimeType: "audio/mp4", test: (b) => ascii(b, 4, 8) === "ftyp" },
  { mimeType: "audio/webm", test: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 },
  {
    mimeType: "audio/mpeg",
    test: (b) => ascii(b, 0, 3) === "ID3" || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  },
];

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.subarray(from, to)).toString("latin1");
}

/**
 * Checks that a file is audio Whisper can read, from its bytes (whatever its name or declared type
 * says), and that it is no longer than `maxSeconds`. A file that is not audio is refused before
 * anything is sent, so it costs nothing.
 */
export async function checkAudio(bytes: Uint8Array, maxSeconds: number): Promise<AudioCheck> {
  const notAudio = {
    ok: false as const,
    code: "not_audio" as const,
    reason: "the file is not audio Replibot can read (Ogg/Opus, WAV, MP3, M4A, WebM or FLAC)",
  };
  const kind = signatures.find((signature) => signature.test(bytes));
  if (!kind) return notAudio;
  let durationSecs: number | undefined;
  try {
    const metadata = await parseBuffer(
      bytes,
      { mimeType: kind.mimeType, size: bytes.length },
      { duration: true },
    );
    durationSecs = metadata.format.duration;
  } catch {
    return notAudio;
  }
  if (durationSecs === undefined || !Number.isFinite(durationSecs) || durationSecs <= 0) return notAudio;
  if (durationSecs > maxSeconds) return tooLong(durationSecs, maxSeconds);
  return { ok: true, durationSecs, mimeType: kind.mimeType };
}

/** The refusal of audio longer than the cap. */
export function tooLong(durationSecs: number, maxSeconds: number): AudioCheck {
  return {
    ok: false,
    code: "too_long",
    reason: `the recording is ${clock(durationSecs)} long; Replibot transcribes at most ${clock(maxSeconds)}`,
  };
}

/** 754 s as "12:34". */
function clock(seconds: number): string {
  const whole = Math.ceil(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
