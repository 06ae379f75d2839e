import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, makeOggOpus, makeWav, whisperVersion } from "./index.ts";
import { type HttpReceiver, startReceiver } from "./test-support/http-receiver.ts";

let emulator: Emulator;
let replicate: Replicate;
let cdn: HttpReceiver;
const whisper = `openai/whisper:${whisperVersion}` as const;

interface WhisperOutput {
  transcription: string;
  detected_language: string;
  translation: string | null;
  txt_file: string | null;
  srt_file: string | null;
  segments: Array<{ id: number; start: number; end: number; text: string; tokens: number[] }>;
}

const voiceNote = makeOggOpus({ durationSeconds: 7.5, transcript: "Remind me to water the plants. Thanks!" });

beforeAll(async () => {
  emulator = await createEmulator({ timeScale: 0.01, maxFileSizeBytes: 200_000 });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl });
  cdn = await startReceiver((request) =>
    request.path === "/voice.ogg"
      ? { headers: { "Content-Type": "audio/ogg" }, body: voiceNote }
      : { status: 404, body: "missing" },
  );
});
afterAll(async () => {
  await cdn.close();
  await emulator.close();
});

const transcribe = async (input: Record<string, unknown>) => {
  const prediction = await replicate.predictions.create({ version: whisperVersion, input, wait: true });
  return prediction as typeof prediction & { output: WhisperOutput | null };
};

describe("files API", () => {
  it("creates, gets, lists and deletes a file", async () => {
    const file = await replicate.files.create(
      new Blob([makeWav({ durationSeconds: 0.5 })], { type: "audio/wav" }),
      {
        purpose: "test",
      },
    );
    expect(file).toMatchObject({ content_type: "audio/wav", metadata: { purpose: "test" } });
    expect(file.urls.get).toBe(`${emulator.baseUrl}/files/${file.id}`);
    expect(Date.parse(file.expires_at ?? "") - Date.parse(file.created_at)).toBe(24 * 3600 * 1000);
    expect((await replicate.files.get(file.id)).checksums.sha256).toBe(file.checksums.sha256);
    expect((await replicate.files.list()).results.map((f) => f.id)).toContain(file.id);
    expect(await replicate.files.delete(file.id)).toBe(true);
    await expect(replicate.files.get(file.id)).rejects.toMatchObject({ response: { status: 404 } });
  });

  it("refuses an upload over the size limit with 413 problem+json", async () => {
    const error: unknown = await replicate.files.create(Buffer.alloc(300_000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ response: { status: 413 } });
    expect(String(error)).toContain("Files must be less than");
  });
});

describe("openai/whisper", () => {
  it("reads the TRANSCRIPT tag and true duration of an uploaded WAV (LIST/INFO), billing 0.1 s per second", async () => {
    const file = await replicate.files.create(
      new Blob([makeWav({ durationSeconds: 3, transcript: "Hello from a WAV file." })], {
        type: "audio/wav",
      }),
    );
    const prediction = await transcribe({ audio: file.urls.get });
    expect(prediction.status).toBe("succeeded");
    expect(prediction.output?.transcription.trim()).toBe("Hello from a WAV file.");
    expect(prediction.output?.segments.at(-1)?.end).toBe(3);
    expect(prediction.metrics?.predict_time).toBeCloseTo(0.3, 6);
    expect(prediction.output).toMatchObject({
      detected_language: "english",
      translation: null,
      srt_file: null,
    });
  });

  it("run() uploads a Blob of Ogg/Opus and transcribes its OpusTags TRANSCRIPT", async () => {
    const output = (await replicate.run(whisper, {
      input: { audio: new Blob([voiceNote], { type: "audio/ogg" }) },
    })) as WhisperOutput;
    expect(output.transcription).toBe(" Remind me to water the plants. Thanks!");
    expect(output.segments.map((s) => s.text)).toEqual([" Remind me to water the plants.", " Thanks!"]);
    expect(output.segments.at(-1)?.end).toBe(7.5);
  });

  it("fetches audio from another origin and honours transcription: srt", async () => {
    const prediction = await transcribe({ audio: `${cdn.url}/voice.ogg`, transcription: "srt" });
    expect(prediction.output?.transcription).toMatch(/^1\n00:00:00,000 --> 00:00:\d\d,\d{3}\nRemind me/);
    expect(prediction.metrics?.predict_time).toBeCloseTo(0.75, 6);
  });

  it("accepts a data: URI and falls back to a placeholder naming the duration when there is no tag", async () => {
    const audio = `data:audio/wav;base64,${Buffer.from(makeWav({ durationSeconds: 2 })).toString("base64")}`;
    const prediction = await transcribe({ audio });
    expect(prediction.output?.transcription).toContain("2.0 seconds");
  });

  it("fails with a clear error for unreadable or unreachable audio", async () => {
    const garbage = await transcribe({
      audio: `data:audio/ogg;base64,${Buffer.from("not audio").toString("base64")}`,
    });
    expect(garbage.status).toBe("failed");
    expect(garbage.error).toMatch(/^Could not read the audio file/);
    const missing = await transcribe({ audio: `${cdn.url}/nothing.ogg` });
    expect(missing.status).toBe("failed");
    expect(missing.error).toContain("returned 404");
  });
});
