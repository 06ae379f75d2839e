import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEmulator,
  type Emulator,
  makeM4a,
  makeWebm,
  whisperSecondsPerAudioSecond,
  whisperVersion,
} from "../index.ts";

let emulator: Emulator;
let replicate: Replicate;

interface WhisperOutput {
  transcription: string;
  segments: Array<{ start: number; end: number; text: string }>;
}

beforeAll(async () => {
  emulator = await createEmulator({ timeScale: 0.01 });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl });
});
afterAll(async () => {
  await emulator.close();
});

// Uploads through the files API, as the bot does with a Slack clip, then transcribes the file's URL.
const uploadAndTranscribe = async (bytes: Uint8Array<ArrayBuffer>, contentType: string) => {
  const file = await replicate.files.create(new Blob([bytes], { type: contentType }));
  expect(file.content_type).toBe(contentType);
  const prediction = await replicate.predictions.create({
    version: whisperVersion,
    input: { audio: file.urls.get },
    wait: true,
  });
  // The client types `output` as any; name its shape so the assertions below are checked.
  return { ...prediction, output: prediction.output as WhisperOutput | null };
};

describe("openai/whisper on the formats chat apps upload", () => {
  it("transcribes an uploaded M4A (audio/mp4) from its iTunes TRANSCRIPT tag, billing by its duration", async () => {
    const transcript = "Running ten minutes late. Start without me!";
    const durationSeconds = 6.4;
    const prediction = await uploadAndTranscribe(makeM4a({ durationSeconds, transcript }), "audio/mp4");
    expect(prediction.status).toBe("succeeded");
    expect(prediction.output?.transcription).toBe(` ${transcript}`);
    expect(prediction.output?.segments.map((s) => s.text).join("")).toBe(` ${transcript}`);
    expect(prediction.output?.segments.at(-1)?.end).toBe(durationSeconds);
    expect(prediction.metrics?.predict_time).toBeCloseTo(durationSeconds * whisperSecondsPerAudioSecond, 6);
  });

  it("reads an M4A whose transcript is a ©cmt comment", async () => {
    const bytes = makeM4a({
      durationSeconds: 2,
      transcript: "Yes.",
      transcriptAtom: "©cmt",
      sampleRate: 48_000,
    });
    const prediction = await uploadAndTranscribe(bytes, "audio/mp4");
    expect(prediction.output?.transcription).toBe(" Yes.");
    expect(prediction.metrics?.predict_time).toBeCloseTo(2 * whisperSecondsPerAudioSecond, 6);
  });

  it("transcribes an uploaded WebM/Opus clip from its Matroska TRANSCRIPT tag, billing by its duration", async () => {
    const transcript = "Ship it on Friday.";
    const durationSeconds = 3.3;
    const prediction = await uploadAndTranscribe(makeWebm({ durationSeconds, transcript }), "audio/webm");
    expect(prediction.status).toBe("succeeded");
    expect(prediction.output?.transcription).toBe(` ${transcript}`);
    expect(prediction.output?.segments.at(-1)?.end).toBe(durationSeconds);
    expect(prediction.metrics?.predict_time).toBeCloseTo(durationSeconds * whisperSecondsPerAudioSecond, 6);
  });
});
